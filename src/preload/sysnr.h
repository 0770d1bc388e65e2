#ifdef __NR_read
NR(read)
#endif
#ifdef __NR_pread64
NR(pread64)
#endif
#ifdef __NR_readv
NR(readv)
#endif
#ifdef __NR_preadv
NR(preadv)
#endif
#ifdef __NR_preadv2
NR(preadv2)
#endif
#ifdef __NR_write
NR(write)
#endif
#ifdef __NR_pwrite64
NR(pwrite64)
#endif
#ifdef __NR_writev
NR(writev)
#endif
#ifdef __NR_pwritev
NR(pwritev)
#endif
#ifdef __NR_pwritev2
NR(pwritev2)
#endif
#ifdef __NR_sendfile
NR(sendfile)
#endif
#ifdef __NR_sendfile64
NR(sendfile64)
#endif
#ifdef __NR_copy_file_range
NR(copy_file_range)
#endif
#ifdef __NR_splice
NR(splice)
#endif
#ifdef __NR_open
NR(open)
#endif
#ifdef __NR_openat
NR(openat)
#endif
#ifdef __NR_openat2
NR(openat2)
#endif
#ifdef __NR_creat
NR(creat)
#endif
#ifdef __NR_close
NR(close)
#endif
#ifdef __NR_stat
NR(stat)
#endif
#ifdef __NR_lstat
NR(lstat)
#endif
#ifdef __NR_fstat
NR(fstat)
#endif
#ifdef __NR_newfstatat
NR(newfstatat)
#endif
#ifdef __NR_statx
NR(statx)
#endif
#ifdef __NR_statfs
NR(statfs)
#endif
#ifdef __NR_fstatfs
NR(fstatfs)
#endif
#ifdef __NR_access
NR(access)
#endif
#ifdef __NR_faccessat
NR(faccessat)
#endif
#ifdef __NR_faccessat2
NR(faccessat2)
#endif
#ifdef __NR_readlink
NR(readlink)
#endif
#ifdef __NR_readlinkat
NR(readlinkat)
#endif
#ifdef __NR_unlink
NR(unlink)
#endif
#ifdef __NR_unlinkat
NR(unlinkat)
#endif
#ifdef __NR_rename
NR(rename)
#endif
#ifdef __NR_renameat
NR(renameat)
#endif
#ifdef __NR_renameat2
NR(renameat2)
#endif
#ifdef __NR_mkdir
NR(mkdir)
#endif
#ifdef __NR_mkdirat
NR(mkdirat)
#endif
#ifdef __NR_rmdir
NR(rmdir)
#endif
#ifdef __NR_truncate
NR(truncate)
#endif
#ifdef __NR_ftruncate
NR(ftruncate)
#endif
#ifdef __NR_fallocate
NR(fallocate)
#endif
#ifdef __NR_fsync
NR(fsync)
#endif
#ifdef __NR_fdatasync
NR(fdatasync)
#endif
#ifdef __NR_sync_file_range
NR(sync_file_range)
#endif
#ifdef __NR_lseek
NR(lseek)
#endif
#ifdef __NR_getdents
NR(getdents)
#endif
#ifdef __NR_getdents64
NR(getdents64)
#endif
#ifdef __NR_chmod
NR(chmod)
#endif
#ifdef __NR_fchmod
NR(fchmod)
#endif
#ifdef __NR_chown
NR(chown)
#endif
#ifdef __NR_fchown
NR(fchown)
#endif
#ifdef __NR_utimensat
NR(utimensat)
#endif
#ifdef __NR_fadvise64
NR(fadvise64)
#endif
#ifdef __NR_flock
NR(flock)
#endif
#ifdef __NR_fchmodat
NR(fchmodat)
#endif
#ifdef __NR_lchown
NR(lchown)
#endif
#ifdef __NR_fchownat
NR(fchownat)
#endif
#ifdef __NR_utime
NR(utime)
#endif
#ifdef __NR_utimes
NR(utimes)
#endif
#ifdef __NR_futimesat
NR(futimesat)
#endif
#ifdef __NR_link
NR(link)
#endif
#ifdef __NR_linkat
NR(linkat)
#endif
#ifdef __NR_symlink
NR(symlink)
#endif
#ifdef __NR_symlinkat
NR(symlinkat)
#endif
#ifdef __NR_mknod
NR(mknod)
#endif
#ifdef __NR_mknodat
NR(mknodat)
#endif
#ifdef __NR_setxattr
NR(setxattr)
#endif
#ifdef __NR_lsetxattr
NR(lsetxattr)
#endif
#ifdef __NR_fsetxattr
NR(fsetxattr)
#endif
#ifdef __NR_getxattr
NR(getxattr)
#endif
#ifdef __NR_lgetxattr
NR(lgetxattr)
#endif
#ifdef __NR_fgetxattr
NR(fgetxattr)
#endif
#ifdef __NR_listxattr
NR(listxattr)
#endif
#ifdef __NR_llistxattr
NR(llistxattr)
#endif
#ifdef __NR_flistxattr
NR(flistxattr)
#endif
#ifdef __NR_removexattr
NR(removexattr)
#endif
#ifdef __NR_lremovexattr
NR(lremovexattr)
#endif
#ifdef __NR_fremovexattr
NR(fremovexattr)
#endif
#ifdef __NR_chdir
NR(chdir)
#endif
#ifdef __NR_fchdir
NR(fchdir)
#endif
#ifdef __NR_sync
NR(sync)
#endif
#ifdef __NR_syncfs
NR(syncfs)
#endif
#ifdef __NR_clone
NR(clone)
#endif
#ifdef __NR_clone3
NR(clone3)
#endif
#ifdef __NR_fork
NR(fork)
#endif
#ifdef __NR_vfork
NR(vfork)
#endif
#ifdef __NR_execve
NR(execve)
#endif
#ifdef __NR_execveat
NR(execveat)
#endif
