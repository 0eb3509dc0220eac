/**
 * Where backups live: {@link qdrantbackup.store.BackupStore}, the one interface of a place that holds backups,
 * and {@link qdrantbackup.store.Manifest}, a backup as a set of data files under one manifest. Implementations:
 * {@code store.local} (the archive folder) and {@code store.s3} (a bucket). A leaf: the stores use only
 * {@code transfer}.
 */
package qdrantbackup.store;
