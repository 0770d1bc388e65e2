/* syscalls.c - the table of traced calls and a name lookup for the parser. */
#include <config.h>

#include "syscalls.h"
#include "event.h"

#include <fcntl.h>
#include <string.h>

const struct sc_info sc_table[SC_COUNT] = {
	[SC_NONE] = {"?", OPC_PROC, SCA_NONE, 0, FAM_NONE},
	[SC_EXIT] = {"exit", OPC_PROC, SCA_NONE, 0, FAM_NONE},
	[SC_FORK] = {"fork", OPC_PROC, SCA_NONE, 0, FAM_NONE},
#define X(name, cls, args, flags, fam) [SC_##name] = {#name, cls, args, flags, fam},
#include "syscalls.def"
#undef X
};

/* Open-addressing hash of names.  Filled at compile time it would need a
 * generator; instead a constructor fills it (and the trace list) before
 * main, so before any thread can look a name up: after that both are
 * read-only, and the lookup needs no lock and no "built yet?" test. */
#define HSIZE 512
_Static_assert(SC_COUNT < 256, "htab holds ids in uint8_t");
_Static_assert(SC_COUNT * 2 <= HSIZE, "the name hash stays at most half full");
static uint8_t htab[HSIZE];
static uint8_t hlen[SC_COUNT];	/* name lengths: compare with memcmp */
static char trace_list[4096];

/* First, middle and last bytes and the length: no loop, and distinct
 * enough for the ~70 names (a per-byte FNV was 9% of replay time). */
static unsigned syscalls_hash(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	return (unsigned)len * 61u + (unsigned char)s[0] * 7u +
	       (unsigned char)s[len / 2] * 31u + (unsigned char)s[len - 1];
}

/* strace's -e trace= list: every Linux call, each marked '?' (unknown on
 * this arch: not an error). */
static void syscalls_build_trace_list(void)
{
	size_t off = 0;
	for (int id = SC_FORK + 1; id < SC_COUNT; id++) {
		if (sc_table[id].flags & SCF_DARWIN)
			continue;
		size_t n = strlen(sc_table[id].name);
		if (off + n + 3 >= sizeof trace_list)
			break;
		if (off)
			trace_list[off++] = ',';
		trace_list[off++] = '?';
		memcpy(trace_list + off, sc_table[id].name, n);
		off += n;
	}
	trace_list[off] = '\0';
}

__attribute__((constructor)) static void syscalls_build(void)
{
	for (int id = SC_FORK + 1; id < SC_COUNT; id++) {
		const char *n = sc_table[id].name;
		hlen[id] = (uint8_t)strlen(n);
		unsigned h = syscalls_hash(n, hlen[id]) & (HSIZE - 1);
		while (htab[h])
			h = (h + 1) & (HSIZE - 1);
		htab[h] = (uint8_t)id;
	}
	syscalls_build_trace_list();
}

enum sc_id syscalls_lookup(const char *name, size_t len)
{
	unsigned h = syscalls_hash(name, len) & (HSIZE - 1);
	while (htab[h]) {
		unsigned id = htab[h];
		if (hlen[id] == len) {	/* names are short: no memcmp call */
			const char *t = sc_table[id].name;
			size_t i = 0;
			while (i < len && t[i] == name[i])
				i++;
			if (i == len)
				return (enum sc_id)id;
		}
		h = (h + 1) & (HSIZE - 1);
	}
	return SC_NONE;
}

const char *syscalls_family_name(enum sc_family f)
{
	static const char *const names[FAM_COUNT] = {
		[FAM_NONE] = "-", [FAM_OPEN] = "open", [FAM_STAT] = "stat", [FAM_DIR] = "dir",
		[FAM_ATTR] = "attr", [FAM_SYNC] = "sync", [FAM_LOCK] = "lock",
		[FAM_OTHER] = "other",
	};
	return f < FAM_COUNT ? names[f] : "?";
}

int syscalls_lock_cmd(const char *cmd, size_t len)
{
	/* F_SETLK, F_SETLKW, F_GETLK, F_SETLK64 ..., F_OFD_SETLK ... */
	if (len >= 6 && memcmp(cmd, "F_OFD_", 6) == 0)
		return 1;
	if (len >= 7 && (memcmp(cmd, "F_SETLK", 7) == 0 || memcmp(cmd, "F_GETLK", 7) == 0))
		return 1;
	return 0;
}

int syscalls_lock_cmd_num(int cmd)
{
	switch (cmd) {
	case F_SETLK:
	case F_SETLKW:
	case F_GETLK:
#ifdef F_OFD_SETLK
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
	case F_OFD_GETLK:
#endif
		return 1;
	default:
		return 0;
	}
}

const char *syscalls_trace_list(void)
{
	return trace_list;
}
