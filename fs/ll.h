/*
 * ll.h - the FUSE daemon (ll.c), the only part of sarfs that knows FUSE.
 */
#ifndef SARFS_LL_H
#define SARFS_LL_H

/* `sarfs SOURCE MOUNTPOINT [options]`: argv as given to main. Returns the
 * process exit status. */
int sarfs_mount_main(int argc, char *argv[]);

#endif
