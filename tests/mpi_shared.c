/* mpi_shared.c - every rank writes its own block of one shared file with
 * MPI_File_write_at_all (collective MPI-IO), then rank 0 prints what the
 * file must hold: {"path": ..., "ranks": N, "bytes": N}.
 *
 *   mpi_shared FILE BLOCK_BYTES */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	MPI_Init(&argc, &argv);
	int rank, size;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (argc != 3) {
		if (!rank)
			fprintf(stderr, "usage: mpi_shared FILE BLOCK_BYTES\n");
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	long block = atol(argv[2]);
	char *buf = malloc((size_t)block);
	if (!buf || block <= 0)
		MPI_Abort(MPI_COMM_WORLD, 1);
	memset(buf, 'a' + rank % 26, (size_t)block);
	MPI_File fh;
	if (MPI_File_open(MPI_COMM_WORLD, argv[1], MPI_MODE_CREATE | MPI_MODE_WRONLY,
			  MPI_INFO_NULL, &fh) != MPI_SUCCESS)
		MPI_Abort(MPI_COMM_WORLD, 1);
	MPI_Status st;
	if (MPI_File_write_at_all(fh, (MPI_Offset)rank * block, buf, (int)block, MPI_BYTE,
				  &st) != MPI_SUCCESS)
		MPI_Abort(MPI_COMM_WORLD, 1);
	MPI_File_close(&fh);
	if (!rank)
		printf("{\"path\": \"%s\", \"ranks\": %d, \"bytes\": %ld}\n", argv[1], size,
		       (long)size * block);
	free(buf);
	MPI_Finalize();
	return 0;
}
