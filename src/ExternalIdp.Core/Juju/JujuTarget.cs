using System.Collections.Generic;

namespace ExternalIdp.Core.Juju
{
    public sealed class JujuTarget : IIdpTarget
    {
        public JujuTarget(string model, string kratosApplication) { throw new System.NotImplementedException(); }
        public string TargetType => "Juju";
        public string Description => throw new System.NotImplementedException();
        public void Stamp(KratosIdp idp) => throw new System.NotImplementedException();
        public bool SupportsProvider(ProviderKind kind, out string reason) => throw new System.NotImplementedException();
        public IReadOnlyCollection<string> UnsupportedParameters => throw new System.NotImplementedException();
        public IReadOnlyList<KratosIdp> GetIdps(ICoreHost host) => throw new System.NotImplementedException();
        public KratosIdp Add(string name, IdpSettings settings, OperationOptions options, ICoreHost host) => throw new System.NotImplementedException();
        public KratosIdp Set(string name, IdpSettings changes, OperationOptions options, ICoreHost host) => throw new System.NotImplementedException();
        public KratosIdp SetEnabled(string name, bool enabled, OperationOptions options, ICoreHost host) => throw new System.NotImplementedException();
        public bool Remove(string name, OperationOptions options, ICoreHost host) => throw new System.NotImplementedException();
        public KratosRedirectUri GetRedirectUri(string name, OperationOptions options, ICoreHost host) => throw new System.NotImplementedException();
        public KratosPublicUrl GetPublicUrl(OperationOptions options, ICoreHost host) => throw new System.NotImplementedException();
    }
}
