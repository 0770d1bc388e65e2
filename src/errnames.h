/* errnames.h - errno names as strace prints them, both ways. */
#ifndef IOPSTOP_ERRNAMES_H
#define IOPSTOP_ERRNAMES_H

#include <stddef.h>
#include <stdint.h>

/* errno for "ENOENT" etc.; ERR_UNKNOWN for a name we do not know. */
uint16_t errnames_lookup(const char *name, size_t len);

/* Name of an errno value ("ENOENT"), "E?" when unknown. */
const char *errnames_name(uint16_t err);

#endif
