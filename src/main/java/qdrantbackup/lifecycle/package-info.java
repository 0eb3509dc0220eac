/** What survives a stop: the marker of a run in progress, reported at the next start, and its partial files. */
package qdrantbackup.lifecycle;
