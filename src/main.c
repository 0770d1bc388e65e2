/* main.c - everything else is in the library, so tests can link it. */
#include <config.h>

#include "iopstop.h"

int main(int argc, char **argv)
{
	return iopstop_main(argc, argv);
}
