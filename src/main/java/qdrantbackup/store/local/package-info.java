/** The local archive folder as a {@link qdrantbackup.store.BackupStore}: where downloads land first. */
package qdrantbackup.store.local;
