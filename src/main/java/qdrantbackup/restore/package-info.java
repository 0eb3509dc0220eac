/**
 * The restore inbox (routes/restore.camel.yaml): reading a drop, finding the backup (archive, else bucket),
 * verifying it, the safety copy (backup's own step), the upload, the wait for a green collection, rollback,
 * and the report. Uses the Qdrant client, the stores and backup's per-collection step.
 */
package qdrantbackup.restore;
