/**
 * Retention: the pure planner (daily, weekly, monthly, keep-last) and the expiry of each store
 * (routes/retention.camel.yaml). Uses the stores; reads backup runs to know which places a run reached.
 */
package qdrantbackup.retention;
