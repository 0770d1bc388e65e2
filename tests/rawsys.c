/* rawsys: write to a file through libc and through raw system calls.
 *
 *   rawsys FILE LIBC_WRITES RAW_WRITES
 *
 * The raw ones (syscall(SYS_write, ...)) never pass through a libc
 * function, as in Go programs: the preload backend cannot see them, and
 * must say so.  Prints nothing (stdio writes would be unseen too). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	long libc = atol(argv[2]), raw = atol(argv[3]);
	for (long i = 0; i < libc; i++)
		if (write(fd, "0123456789abcdef", 16) != 16)
			return 1;
	for (long i = 0; i < raw; i++)
		if (syscall(SYS_write, fd, "0123456789abcdef", 16) != 16)
			return 1;
	return close(fd) == 0 ? 0 : 1;
}
