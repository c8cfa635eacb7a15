namespace ExternalIdp
{
    /// <summary>The outcome of one check of Test-KratosIdp.</summary>
    public enum KratosIdpCheckResult
    {
        /// <summary>Checked and fine.</summary>
        Pass,
        /// <summary>Works, but something is worth a look (the message says what).</summary>
        Warning,
        /// <summary>Sign-in with this IdP fails (or Kratos refuses its config); the message says what to do.</summary>
        Fail,
        /// <summary>Not checked; the message says why (-Offline, nothing to check, can't be read here).</summary>
        Skipped,
    }

    /// <summary>
    /// One check of one IdP, as Test-KratosIdp emits it. Holds no secret. Name and the target
    /// properties let it be piped to the other cmdlets (Get-KratosIdp, Set-KratosIdpProvider).
    /// </summary>
    public sealed class KratosIdpCheck
    {
        /// <summary>The IdP's name (config file: provider id; Juju: integrator application).</summary>
        public string IdP { get; set; }
        /// <summary>The same name, for binding -Name of the other cmdlets by property name.</summary>
        public string Name { get; set; }
        /// <summary>The check's stable short name (see Checks.CheckNames).</summary>
        public string Check { get; set; }
        public KratosIdpCheckResult Result { get; set; }
        /// <summary>What was found; for Warning and Fail also what to do.</summary>
        public string Message { get; set; }
        public string Provider { get; set; }
        public string ProviderId { get; set; }
        /// <summary>The URL the check read, when it read one.</summary>
        public string Url { get; set; }

        public string TargetType { get; set; }
        public string ConfigPath { get; set; }
        public string ConfigRoot { get; set; }
        public string Model { get; set; }
        public string KratosApplication { get; set; }

        public override string ToString() => $"{IdP} {Check}: {Result}";
    }
}

namespace ExternalIdp.Core.Checks
{
    /// <summary>The stable names of the checks, in the order they are emitted for an IdP.</summary>
    public static class CheckNames
    {
        public const string Settings = "Settings";
        public const string KratosVersion = "KratosVersion";
        public const string MicrosoftTenant = "MicrosoftTenant";
        public const string AppleKey = "AppleKey";
        public const string Mapper = "Mapper";
        public const string IdentitySchema = "IdentitySchema";
        public const string Discovery = "Discovery";
        public const string Issuer = "Issuer";
        public const string ResponseType = "ResponseType";
        public const string Scopes = "Scopes";
        public const string Pkce = "Pkce";
        public const string Jwks = "Jwks";

        public static readonly string[] All =
        {
            Settings, KratosVersion, MicrosoftTenant, AppleKey, Mapper, IdentitySchema,
            Discovery, Issuer, ResponseType, Scopes, Pkce, Jwks,
        };

        /// <summary>The checks that read the network (skipped by -Offline).</summary>
        public static readonly string[] Online = { Discovery, Issuer, ResponseType, Scopes, Pkce, Jwks };
    }
}
