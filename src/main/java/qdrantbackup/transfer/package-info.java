/**
 * Moving bytes safely: the hashing copy (SHA-256 as the bytes go by), durable file commits (flush, rename,
 * flush the folder), progress lines, and the registry of running transfers a stop ends. A leaf.
 */
package qdrantbackup.transfer;
