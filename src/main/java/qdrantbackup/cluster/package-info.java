/** A Qdrant cluster as a backup sees it: its nodes, and the shard layout of a collection across them. */
package qdrantbackup.cluster;
