/** On-demand runs of the management port ({@code POST /backup}, routes/management.camel.yaml). */
package qdrantbackup.management;
