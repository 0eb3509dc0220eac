package qdrantbackup.backup;

/** This tool's name and version, recorded in every manifest. */
public final class Tool {
    public static final String NAME_VERSION = "qdrant-backup "
            + (Tool.class.getPackage().getImplementationVersion() == null
                    ? "dev"
                    : Tool.class.getPackage().getImplementationVersion());

    private Tool() {}
}
