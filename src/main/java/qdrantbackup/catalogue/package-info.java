/** The catalogue ({@code list}, {@code GET /backups}): every backup in every store, with what retention decides. */
package qdrantbackup.catalogue;
