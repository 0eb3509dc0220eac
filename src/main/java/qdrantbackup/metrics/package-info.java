/** The Prometheus meters ({@code qdrant_backup_*}), seeded from the stores at start and updated after each run. */
package qdrantbackup.metrics;
