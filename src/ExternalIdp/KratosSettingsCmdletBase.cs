using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using ExternalIdp.Core;

namespace ExternalIdp.Commands
{
    /// <summary>The provider settings parameters, identical on Add-KratosIdp and Set-KratosIdpProvider.</summary>
    public abstract class KratosSettingsCmdletBase : KratosCmdletBase
    {
        protected const string ExplicitSet = "Explicit";
        protected const string CredentialSet = "Credential";

        [Parameter(ParameterSetName = ExplicitSet)]
        public string ClientId { get; set; }

        [Parameter(ParameterSetName = ExplicitSet)]
        [SecretTransformation]
        public SecureString ClientSecret { get; set; }

        /// <summary>UserName = client id, Password = client secret (e.g. from Get-AutomationPSCredential).</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential Credential { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(TenantCompleter))]
        public string TenantId { get; set; }

        [Parameter]
        public string IssuerUrl { get; set; }

        [Parameter]
        public string AppleTeamId { get; set; }

        [Parameter]
        public string ApplePrivateKeyId { get; set; }

        [Parameter]
        [SecretTransformation]
        public SecureString ApplePrivateKey { get; set; }

        [Parameter]
        public string ProviderId { get; set; }

        [Parameter]
        public string Label { get; set; }

        [Parameter]
        [AllowEmptyCollection]
        public string[] Scope { get; set; }

        /// <summary>Jsonnet source, or the path of a .jsonnet file (read when it exists).</summary>
        [Parameter]
        public string JsonnetMapper { get; set; }

        [Parameter]
        public string MapperUrl { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EnumValueCompleter))]
        public string SubjectSource { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EnumValueCompleter))]
        public string ClaimsSource { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EnumValueCompleter))]
        public string Pkce { get; set; }

        [Parameter]
        public string AuthUrl { get; set; }

        [Parameter]
        public string TokenUrl { get; set; }

        /// <summary>The OpenID Connect claims request: a hashtable (nested), or the same as JSON text.</summary>
        [Parameter]
        public object RequestedClaims { get; set; }

        [Parameter]
        public string OrganizationId { get; set; }

        [Parameter]
        [AllowEmptyCollection]
        public string[] AdditionalIdTokenAudiences { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(EnumValueCompleter))]
        public string AccountLinkingMode { get; set; }

        /// <summary>Juju: wait until the integrator reports the provider ready.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>
        /// The names of the provider settings parameters in the order help shows them: the field table's
        /// order, with -Credential (client id and secret in one) after -ClientSecret.
        /// </summary>
        public static string[] SettingsParameters() => SettingsParameterNames().ToArray();

        private static IEnumerable<string> SettingsParameterNames()
        {
            foreach (var p in FieldTable.Default.Parameters)
            {
                yield return p;
                if (p == nameof(ClientSecret)) yield return nameof(Credential);
            }
        }

        /// <summary>
        /// IdpSettings from the bound parameters, row by row of the field table (not given: not set).
        /// Throws ExternalIdpException for an unreadable mapper file.
        /// </summary>
        protected IdpSettings BuildSettings()
        {
            var s = new IdpSettings();
            var bound = MyInvocation.BoundParameters;
            foreach (var f in s.Table.WithParameter)
            {
                if (!bound.TryGetValue(f.Parameter, out var value)) continue;
                var unwrapped = value is PSObject pso ? pso.BaseObject : value;
                s[f] = f.Type == FieldType.Json && !(unwrapped is string) ? SettingValue.OfStructure(Plain(value, 0)) : ValueOf(unwrapped);
            }
            if (Credential != null)
            {
                s.ClientId = Credential.UserName;
                if (Credential.Password != null && Credential.Password.Length > 0) s.ClientSecret = new SecretValue(Credential.Password);
            }
            foreach (var kv in s.Given)
                if (kv.Value.Kind == SettingKind.Secret) RegisterSecret(kv.Value.Secret);
            if (JsonnetMapper != null) s.JsonnetMapper = ReadMapper(JsonnetMapper);
            return s;
        }

        private static SettingValue ValueOf(object value)
        {
            switch (value)
            {
                case SecureString secure: return SettingValue.Of(new SecretValue(secure));
                case string[] list: return SettingValue.Of(list);
                case string text: return SettingValue.Of(text);
                default: return null;
            }
        }

        /// <summary>
        /// A structure given to a JSON parameter with PowerShell's wrappers taken off: a PSCustomObject as a
        /// dictionary of its properties, nested values unwrapped (the core reads dictionaries, lists and scalars).
        /// </summary>
        private static object Plain(object value, int depth)
        {
            if (depth > 64) return value;
            if (value is PSObject pso)
            {
                if (!(pso.BaseObject is PSCustomObject)) return Plain(pso.BaseObject, depth);
                var props = new Dictionary<string, object>(StringComparer.Ordinal);
                foreach (var p in pso.Properties) props[p.Name] = Plain(p.Value, depth + 1);
                return props;
            }
            switch (value)
            {
                case string _: return value;
                case System.Collections.IDictionary d:
                    var dict = new Dictionary<string, object>(StringComparer.Ordinal);
                    foreach (System.Collections.DictionaryEntry e in d)
                        dict[Convert.ToString((e.Key as PSObject)?.BaseObject ?? e.Key, System.Globalization.CultureInfo.InvariantCulture)] = Plain(e.Value, depth + 1);
                    return dict;
                case System.Collections.IEnumerable list:
                    return list.Cast<object>().Select(i => Plain(i, depth + 1)).ToList();
                default: return value;
            }
        }

        /// <summary>The jsonnet source: the content of the file when the value names an existing file, else the value itself.</summary>
        private string ReadMapper(string value)
        {
            if (value.Length == 0 || value.Length > 4096 || value.IndexOfAny(new[] { '\n', '\r', '{', '}' }) >= 0) return value;
            string path;
            try { path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(value); }
            catch (Exception ex) when (!(ex is PipelineStoppedException)) { return value; }
            if (!File.Exists(path))
            {
                if (value.EndsWith(".jsonnet", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".libsonnet", StringComparison.OrdinalIgnoreCase))
                    throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.ObjectNotFound,
                        $"-JsonnetMapper '{value}' looks like a file name but '{path}' does not exist. Give the path of an existing .jsonnet file, or the jsonnet source itself.", value);
                return value;
            }
            try
            {
                WriteVerbose($"Reading the jsonnet mapper from '{path}'.");
                return File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is SecurityException)
            {
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.ReadError,
                    $"The jsonnet mapper file '{path}' can't be read ({ex.Message}). Check that it exists and that you may read it.", value);
            }
        }

        protected OperationOptions BuildOptions()
        {
            var o = Options();
            o.Wait = Wait.IsPresent;
            return o;
        }
    }
}
