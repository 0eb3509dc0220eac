/**
 * The entry point and the wiring: {@link qdrantbackup.App} reads the command line and runs a command;
 * {@link qdrantbackup.Wiring} and {@link qdrantbackup.ManagementWiring} build the beans the YAML routes call by
 * name. Only this package and {@code command} see every other package; nothing depends on them.
 */
package qdrantbackup;
