/** Readiness checks of the management port: Qdrant answers, the bucket is writable. */
package qdrantbackup.health;
