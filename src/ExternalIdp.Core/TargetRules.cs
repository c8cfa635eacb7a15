using System.Collections.Generic;

namespace ExternalIdp.Core
{
    /// <summary>
    /// What a target can hold, as IdpRequest checks it: the provider kinds, the settings it has a
    /// place for, the form of the mapper and the values it can write. A Kratos config file holds
    /// everything Kratos accepts; the integrator charm less (CharmRules).
    /// </summary>
    public abstract class TargetRules
    {
        private static readonly string[] None = new string[0];

        internal TargetRules() { }

        /// <summary>Why this target can't hold the kind, or null when it can.</summary>
        public virtual string KindRefusal(ProviderKind kind) => null;

        /// <summary>The settings parameters this target has no place for.</summary>
        public virtual IReadOnlyCollection<string> UnsupportedParameters => None;

        /// <summary>Whether Set may give -ProviderId '' (Juju: back to the charm's own id).</summary>
        public virtual bool ProviderIdMayBeCleared => false;

        /// <summary>KratosIdpProviderNotSupported for a kind this target can't hold, or null.</summary>
        internal virtual ExternalIdpException RefuseKind(ProviderKind kind) => null;

        /// <summary>KratosIdpParameterNotSupported naming the given parameters this target has no place for, or null when none.</summary>
        internal virtual ExternalIdpException RefuseParameters(IReadOnlyList<string> given) => null;

        /// <summary>The mapper's jsonnet source (see IdpRequest.MapperSource); a target that needs the source refuses a URL it can't read.</summary>
        internal virtual string MapperSource(IdpSettings s)
        {
            if (s.JsonnetMapper != null) return s.JsonnetMapper.Replace("\r\n", "\n");
            if (string.IsNullOrEmpty(s.MapperUrl)) return s.MapperUrl;
            return DefaultMapper.TryDecode(s.MapperUrl)?.Replace("\r\n", "\n");
        }

        /// <summary>An error for values this target can't write as given, or null.</summary>
        internal virtual ExternalIdpException RefuseValues(IdpRequest request) => null;
    }

    /// <summary>A Kratos config file: every kind and key Kratos accepts; the writer quotes what needs quotes.</summary>
    public sealed class KratosFileRules : TargetRules
    {
        public static readonly KratosFileRules Instance = new KratosFileRules();

        private KratosFileRules() { }
    }
}
