/** The failure webhook: one JSON message per failed backup, expiry and restore, never holding a backup up. */
package qdrantbackup.notify;
