namespace ExternalIdp.Core
{
    /// <summary>Options of an operation that are not provider settings.</summary>
    public sealed class OperationOptions
    {
        /// <summary>Juju: wait for the integrator to be ready, or disabled (Add, Set, Enable, Disable).</summary>
        public bool Wait { get; set; }
        /// <summary>Juju: seconds before a wait or a hung juju command (each one) is given up.</summary>
        public int TimeoutSec { get; set; } = 300;
        /// <summary>Juju: charm channel for deploy.</summary>
        public string Channel { get; set; }
        /// <summary>Juju: Remove also removes the integrator application.</summary>
        public bool RemoveApplication { get; set; }
        /// <summary>Redirect URI: the public base URL to use instead of the one the target knows.</summary>
        public string PublicUrl { get; set; }
        /// <summary>-KratosVersion: the Kratos release of the target, instead of the one it records (checked by KratosRelease.Given).</summary>
        public string KratosVersion { get; set; }
        /// <summary>Redirect URI on Juju: only the get-redirect-uri action's answer, never a computed one.</summary>
        public bool ActionOnly { get; set; }
    }
}
