/** Route reload: an edit of routes/ applies without a restart; an edit that cannot be applied keeps the old routes. */
package qdrantbackup.reload;
