/* iopstop.h - the program, callable from main() and from tests. */
#ifndef IOPSTOP_IOPSTOP_H
#define IOPSTOP_IOPSTOP_H

int iopstop_main(int argc, char **argv);

#endif
