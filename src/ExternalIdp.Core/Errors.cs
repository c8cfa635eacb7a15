using System;

namespace ExternalIdp.Core
{
    /// <summary>Mirrors the names of System.Management.Automation.ErrorCategory that the core uses.</summary>
    public enum ErrorKind
    {
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        ObjectNotFound,
        ResourceExists,
        ResourceUnavailable,
        ResourceBusy,
        OperationTimeout,
        NotInstalled,
        NotImplemented,
        WriteError,
        ReadError,
        PermissionDenied,
        OperationStopped,
    }

    /// <summary>The stable error ids. Documented in README.md; scripts rely on them.</summary>
    public static class ErrorIds
    {
        public const string IdpNotFound = "KratosIdpNotFound";
        public const string IdpAlreadyExists = "KratosIdpAlreadyExists";
        public const string InvalidConfiguration = "KratosIdpInvalidConfiguration";
        public const string UnknownProvider = "KratosIdpUnknownProvider";
        public const string ProviderNotSupported = "KratosIdpProviderNotSupported";
        public const string ParameterNotSupported = "KratosIdpParameterNotSupported";
        public const string ConfigFileNotFound = "KratosConfigFileNotFound";
        public const string ConfigFileInvalid = "KratosConfigFileInvalid";
        public const string ConfigFileUnsupported = "KratosConfigFileUnsupported";
        public const string ConfigFileLocked = "KratosConfigFileLocked";
        public const string ConfigFileWriteFailed = "KratosConfigFileWriteFailed";
        public const string RedirectUriUnavailable = "KratosRedirectUriUnavailable";
        public const string PublicUrlNotFound = "KratosPublicUrlNotFound";
        public const string JujuNotFound = "JujuNotFound";
        public const string JujuModelNotFound = "JujuModelNotFound";
        public const string JujuKratosNotFound = "JujuKratosApplicationNotFound";
        public const string JujuCommandFailed = "JujuCommandFailed";
        public const string JujuTimeout = "JujuTimeout";
        public const string JujuUnsafeValue = "JujuUnsafeValue";
        public const string JujuIdpBlocked = "JujuIdpBlocked";
        public const string JujuPartialState = "JujuPartialState";
        public const string NotSupportedByVersion = "KratosIdpNotSupportedByVersion";
    }

    /// <summary>
    /// The only exception the core throws on purpose. The cmdlet layer turns it into an
    /// ErrorRecord with ErrorId and Category; Message names the problem and the fix and
    /// never contains a secret.
    /// </summary>
    public sealed class ExternalIdpException : Exception
    {
        public ExternalIdpException(string errorId, ErrorKind kind, string message, object targetObject = null, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            TargetObject = targetObject;
        }

        public string ErrorId { get; }
        public ErrorKind Kind { get; }
        public object TargetObject { get; }
        /// <summary>Optional text for the ErrorRecord's RecommendedAction.</summary>
        public string RecommendedAction { get; set; }
    }
}
