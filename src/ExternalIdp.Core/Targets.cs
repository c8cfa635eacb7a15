namespace ExternalIdp.Core
{
    /// <summary>Chooses the target from the cmdlet's target parameters.</summary>
    public static class Targets
    {
        /// <summary>
        /// -ConfigPath given: the Kratos config file (configRoot = dotted path of the Kratos config
        /// inside a bigger YAML, e.g. kratos.config). Otherwise the Juju model (null = current model)
        /// and its kratos application (null = "kratos").
        /// </summary>
        public static IIdpTarget Open(string configPath, string configRoot, string model, string kratosApplication)
        {
            if (!string.IsNullOrEmpty(configPath))
            {
                if (!string.IsNullOrEmpty(model))
                    throw new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidArgument,
                        "-ConfigPath and -Model name two different targets: give -ConfigPath for a Kratos config file, or -Model for a Juju model, not both.");
                return new ConfigFile.ConfigFileTarget(configPath, configRoot);
            }
            if (!string.IsNullOrEmpty(configRoot))
                throw new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidArgument,
                    "-ConfigRoot only applies to a config file: give -ConfigPath too.");
            return new Juju.JujuTarget(model, string.IsNullOrEmpty(kratosApplication) ? "kratos" : kratosApplication);
        }
    }
}
