/* errnames.c - a table of the errno names a file I/O trace shows. */
#include <config.h>

#include "errnames.h"
#include "event.h"

#include <errno.h>
#include <string.h>

#ifndef ERESTARTSYS
#define ERESTARTSYS 512	/* kernel-internal; strace prints it by name */
#endif
#ifndef ERESTARTNOINTR
#define ERESTARTNOINTR 513
#endif
#ifndef ERESTARTNOHAND
#define ERESTARTNOHAND 514
#endif

static const struct {
	const char *name;
	uint16_t err;
} names[] = {
#define E(x) {#x, x}
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO),
	E(E2BIG), E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM),
	E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENODATA), E(EOVERFLOW),
	E(EOPNOTSUPP), E(ECONNRESET), E(ENOTCONN), E(ETIMEDOUT),
	E(ECONNREFUSED), E(ESTALE), E(EDQUOT), E(ECANCELED),
	E(ERESTARTSYS), E(ERESTARTNOINTR), E(ERESTARTNOHAND),
#undef E
	{"EWOULDBLOCK", EAGAIN},
};

uint16_t errnames_lookup(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strncmp(names[i].name, name, len) == 0 && names[i].name[len] == '\0')
			return names[i].err;
	return ERR_UNKNOWN;
}

const char *errnames_name(uint16_t err)
{
	if (err == ERR_NORETURN)
		return "?";
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (names[i].err == err)
			return names[i].name;
	return "E?";
}
