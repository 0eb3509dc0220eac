/**
 * Reading back the bucket: a rolling share of the offsite backups downloaded and hashed as the bytes go by
 * (nothing kept), each checked against its manifest's SHA-256; when each was last read back is kept in state/.
 */
package qdrantbackup.readback;
