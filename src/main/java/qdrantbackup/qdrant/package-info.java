/**
 * The Qdrant REST client: the calls a backup and a restore make, in v1.19's envelope, with retries and
 * streaming download and upload. A leaf: it uses only {@code transfer}.
 */
package qdrantbackup.qdrant;
