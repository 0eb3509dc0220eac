/**
 * Restore drills: each collection's newest backup restored into a scratch collection and compared with what the
 * backup's manifest recorded (count, config, payload indexes, fingerprint points and searches), then deleted.
 */
package qdrantbackup.drill;
