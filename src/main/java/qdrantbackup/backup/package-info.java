/**
 * The steps of a backup run (routes/backup.camel.yaml): plan, per collection snapshot and download (the
 * {@link qdrantbackup.backup.CollectionSnapshot} step a restore's safety copy reuses), archive, ship, clean the
 * server; run summaries. Uses the Qdrant client and the stores.
 */
package qdrantbackup.backup;
