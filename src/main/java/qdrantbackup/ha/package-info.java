/**
 * Running more than one instance (ha.cluster): Camel's cluster services elect a leader, and the schedules and
 * the restore inbox run on the leader only; followers answer health, metrics and listings.
 */
package qdrantbackup.ha;
