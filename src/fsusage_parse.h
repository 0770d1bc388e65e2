/* fsusage_parse.h - macOS `fs_usage -w` lines to io_events, as a pure
 * function of the text and the parser's memory of earlier lines.
 *
 * A wide line (Apple's system_cmds fs_usage.c, format_print):
 *
 *   HH:MM:SS.uuuuuu  CALL  [F=fd[[ err]]] [B=0xN] [O=0xN] ... PATH  S.uuuuuu [W] COMMAND.TID
 *
 * What the parser decides, since fs_usage does not say:
 * - Time: the stamp is when the call ended (fs_usage prints at the end
 *   event), so t_us = stamp - elapsed.  Stamps are local time of day; a
 *   jump back by more than 12 hours is the next day, a line up to 12 hours
 *   older than the newest one is a late line of the same (or previous) day
 *   (lines are printed as calls complete, not in start order).
 * - Processes: lines name a thread id and a command, not a pid.  A command
 *   told to the parser (fsusage_parser_learn: the live source knows its
 *   pids) gets that pid; any other command gets a synthetic pid, one per
 *   command name, from FSUSAGE_SYNTH_PID up (above macOS's largest pid,
 *   99999, so never a real one).  Two processes with the same name share
 *   it.  The first line of each command also yields a PROC exec event that
 *   names it.
 * - Files: the path column when printed; else, for a descriptor call, the
 *   path its process's last successful open of that fd printed.  A path
 *   cut from the left by fs_usage stays cut.
 * - Disk events (RdData[A], WrData...) are OPC_DISK: storage traffic,
 *   never counted as calls.  Errors ([ N]) are Darwin errno values,
 *   translated to Linux numbering where they differ. */
#ifndef IOPSTOP_FSUSAGE_PARSE_H
#define IOPSTOP_FSUSAGE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct intern;
struct fsusage_parser;

/* Most events one line can give: the exec naming a new command, then the
 * call itself. */
#define FSUSAGE_MAX_EVENTS 2
#define FSUSAGE_SYNTH_PID 1000000

struct fsusage_parser *fsusage_parser_new(struct intern *in);
void fsusage_parser_free(struct fsusage_parser *p);

/* Lines whose command is name[0..len) belong to pid.  A logged name that
 * fs_usage cut (15 or more bytes, a prefix of name) matches too. */
void fsusage_parser_learn(struct fsusage_parser *p, const char *name, size_t len,
			  int32_t pid);

/* Lines of commands not learned belong to pid (fs_usage watching one
 * process: whatever it is called), instead of synthetic pids. */
void fsusage_parser_default_pid(struct fsusage_parser *p, int32_t pid);

/* Stamps are times of day from midnight_us on (a live capture: local
 * midnight of its first day, on the wall clock), not from 0. */
void fsusage_parser_set_day(struct fsusage_parser *p, int64_t midnight_us);

/* Parse one line (trailing newline optional).  Writes up to
 * FSUSAGE_MAX_EVENTS events to out and returns how many (0 for a blank
 * line or a call iopstop does not count), or -1 when the line is not
 * fs_usage output. */
int fsusage_parse_line(struct fsusage_parser *p, const char *line, size_t len,
		       struct io_event *out);

/* Calls fs_usage marked W (the thread waited, scheduled out, during the
 * call: its elapsed time includes that wait). */
uint64_t fsusage_parser_waited(const struct fsusage_parser *p);

/* Has line[0..len) the shape of an fs_usage -w line?  Pure and strict
 * enough that no strace line (NAME( after the time) passes. */
int fsusage_line_looks(const char *line, size_t len);

#endif
