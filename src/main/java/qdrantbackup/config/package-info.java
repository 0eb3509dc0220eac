/**
 * Settings: every setting declared once (key, type, default, range), typed reads with one-line errors, the
 * start-up checks, the unknown-setting check, and logging set-up. A leaf: it uses no other project package.
 */
package qdrantbackup.config;
