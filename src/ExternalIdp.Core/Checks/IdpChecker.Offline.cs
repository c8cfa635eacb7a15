using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.Checks
{
    public sealed partial class IdpChecker
    {
        /// <summary>The checks that read only the settings and the local files the config names.</summary>
        private sealed partial class Run
        {
            public void Offline()
            {
                CheckSettings();
                CheckVersion();
                if (_kind != null && _kind.IsMicrosoft) CheckTenant();
                if (_kind != null && _kind.IsApple) CheckAppleKey();
                CheckMapper(out var defaultMapper, out var mapperNote);
                CheckIdentitySchema(defaultMapper, mapperNote);
            }

            private void CheckSettings()
            {
                var problems = _s.Problems.Concat(_s.Blockers).Distinct().ToList();
                if (problems.Count > 0)
                {
                    Fail(CheckNames.Settings, $"Kratos can't use this {Kind} entry: {string.Join("; ", problems)}. {FixHint}");
                    return;
                }
                if (_s.Notes.Count > 0)
                {
                    Warn(CheckNames.Settings, $"The {Kind} entry is complete, but {string.Join("; ", _s.Notes)}.");
                    return;
                }
                var keys = _s.Settings.Keys.Where(k => k != FieldTable.Id.Key && k != FieldTable.Provider.Key).OrderBy(k => k, StringComparer.Ordinal);
                Pass(CheckNames.Settings, $"Complete for provider '{Kind}' (provider id '{Idp.ProviderId}'; set: {string.Join(", ", keys)}).");
            }

            private void CheckVersion()
            {
                string text = _c._options.KratosVersion, source = KratosRelease.ParameterSource;
                if (string.IsNullOrWhiteSpace(text)) { text = _input.KratosVersion; source = _input.KratosVersionSource; }
                var needed = KratosVersionRules.NeededRelease(_s.Settings);
                var needs = needed == KratosReleases.Oldest ? "" : $" (it needs Kratos {needed} or later)";
                if (string.IsNullOrWhiteSpace(text))
                {
                    Skip(CheckNames.KratosVersion, $"{_input.NoKratosVersionReason ?? "The target records no Kratos version."} Pass -KratosVersion (for example v1.3.0 or 26.2) to check this entry against a release{needs}.");
                    return;
                }
                var release = KratosRelease.Recorded(text, source);
                if (release == null)
                {
                    Skip(CheckNames.KratosVersion, $"'{IdpRules.Printable(text)}' ({source}) is not a Kratos release number such as v1.3.0, 1.3 or 26.2, so the entry can't be checked against it. Pass -KratosVersion with the release Kratos runs{needs}.");
                    return;
                }
                if (KratosReleases.OlderThanKnown(release.Version))
                {
                    Skip(CheckNames.KratosVersion, $"Kratos {release.Name} ({source}) is older than {KratosReleases.Oldest}, the oldest release whose provider keys ExternalIdp knows{needs}.");
                    return;
                }
                var rejected = KratosVersionRules.Rejected(release.Version, _s.Settings);
                if (rejected.Count > 0)
                {
                    var them = rejected.Count == 1 ? "it" : "them";
                    Fail(CheckNames.KratosVersion, $"Kratos {release.Name} ({source}) does not accept {string.Join(", ", rejected)}. One key or kind a release doesn't know makes Kratos refuse its whole config: remove {them} (Set-KratosIdpProvider), or upgrade Kratos to {needed} or later.");
                    return;
                }
                Pass(CheckNames.KratosVersion, $"Kratos {release.Name} ({source}) accepts provider '{Kind}' and every key of this entry.");
            }

            private void CheckTenant()
            {
                var tenant = _s.Setting(FieldTable.MicrosoftTenant);
                if (string.IsNullOrEmpty(tenant))
                {
                    Fail(CheckNames.MicrosoftTenant, "No tenant is set (microsoft_tenant), so Kratos can't build Microsoft's sign-in URL. Give -TenantId: the tenant's GUID, a verified domain, or common, organizations or consumers.");
                    return;
                }
                if (IdpRules.IsPlaceholder(tenant))
                {
                    Fail(CheckNames.MicrosoftTenant, $"The tenant '{IdpRules.Printable(tenant)}' is a template placeholder that Kratos does not expand. Give -TenantId with the tenant itself.");
                    return;
                }
                switch (tenant)
                {
                    case "common":
                        Pass(CheckNames.MicrosoftTenant, "Tenant 'common': work or school accounts of any tenant and personal Microsoft accounts can sign in (the app registration must allow both).");
                        return;
                    case "organizations":
                        Pass(CheckNames.MicrosoftTenant, "Tenant 'organizations': work or school accounts of any tenant can sign in (a multi-tenant app registration).");
                        return;
                    case "consumers":
                        Pass(CheckNames.MicrosoftTenant, "Tenant 'consumers': only personal Microsoft accounts can sign in.");
                        return;
                }
                if (Guid.TryParse(tenant, out _) && tenant.Length == 36)
                {
                    Pass(CheckNames.MicrosoftTenant, $"Tenant GUID {tenant}: only accounts of that directory can sign in (single tenant).");
                    return;
                }
                if (IdpRules.IsValidTenant(tenant))
                {
                    Pass(CheckNames.MicrosoftTenant, $"Tenant domain '{tenant}': Microsoft resolves it to the tenant's GUID; only accounts of that directory can sign in.");
                    return;
                }
                Fail(CheckNames.MicrosoftTenant, $"'{IdpRules.Printable(tenant)}' is not a Microsoft tenant: Microsoft answers 'tenant not found' and nobody can sign in. Give -TenantId with the Directory (tenant) ID GUID, a verified domain such as contoso.onmicrosoft.com, or common, organizations or consumers.");
            }

            private void CheckAppleKey()
            {
                var problems = new List<string>();
                var team = AppleKey.IdProblem(_s.Setting(FieldTable.AppleTeamId), "team id", "-AppleTeamId");
                if (team != null) problems.Add(team);
                var keyId = AppleKey.IdProblem(_s.Setting(FieldTable.ApplePrivateKeyId), "key id", "-ApplePrivateKeyId");
                if (keyId != null) problems.Add(keyId);
                var key = AppleKey.KeyProblem(_s.Setting(FieldTable.ApplePrivateKey));
                if (key != null) problems.Add(key + (_juju ? "" : " (-ApplePrivateKey)"));
                if (problems.Count > 0)
                {
                    Fail(CheckNames.AppleKey, "Kratos can't make Apple's client secret: " + string.Join(" ", problems.Select(Capitalize)));
                    return;
                }
                Pass(CheckNames.AppleKey, $"Team id {_s.Setting(FieldTable.AppleTeamId)}, key id {_s.Setting(FieldTable.ApplePrivateKeyId)} and a PKCS#8 EC P-256 private key: Kratos can sign its ES256 client secret (the key was read here only, not shown or sent).");
            }

            private static string Capitalize(string s) => string.IsNullOrEmpty(s) ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

            private void CheckMapper(out bool defaultMapper, out string mapperNote)
            {
                defaultMapper = false;
                mapperNote = null;
                var url = _s.Setting(FieldTable.MapperUrl);
                if (string.IsNullOrEmpty(url))
                {
                    mapperNote = _juju ? "the integrator has no jsonnet_mapper option, so the charm's own mapper is used" : "there is no mapper_url";
                    Skip(CheckNames.Mapper, _juju
                        ? "No jsonnet_mapper option is set: the integrator charm gives Kratos its own default mapper, which is not readable here."
                        : "No mapper_url is set (Settings says what Kratos needs).");
                    return;
                }
                if (IdpRules.IsPlaceholder(url))
                {
                    mapperNote = "the mapper URL is a template";
                    Fail(CheckNames.Mapper, $"mapper_url '{IdpRules.Printable(url)}' is a template placeholder that Kratos does not expand. Give the mapper with -JsonnetMapper or -MapperUrl.");
                    return;
                }
                if (LocalDocuments.IsBase64(url) || LocalDocuments.IsFile(url))
                {
                    var source = LocalDocuments.Read(url, _input.BaseFolder, out var problem, out var where);
                    if (source == null)
                    {
                        mapperNote = "the mapper can't be read";
                        Fail(CheckNames.Mapper, LocalDocuments.IsFile(url)
                            ? $"The mapper can't be read: {problem}. Kratos reads it from there when someone signs in{(LocalDocuments.FilePath(url, null) != LocalDocuments.FilePath(url, _input.BaseFolder) ? " (a relative file:// path is taken from the config file's folder)" : "")}. Create the file, or give the mapper itself with -JsonnetMapper."
                            : $"The mapper can't be read: {problem}. Give the mapper's jsonnet source with -JsonnetMapper (it is encoded for you).", url.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? url : null);
                        return;
                    }
                    if (source.Trim().Length == 0)
                    {
                        mapperNote = "the mapper is empty";
                        Fail(CheckNames.Mapper, $"The mapper ({where}) is empty: Kratos can't map any claims. Give a jsonnet mapper (-JsonnetMapper).");
                        return;
                    }
                    var normalized = source.Replace("\r\n", "\n");
                    defaultMapper = normalized == DefaultMapper.Verified || normalized == DefaultMapper.Microsoft;
                    if (!defaultMapper) mapperNote = $"the mapper ({where}) is your own: which traits it writes is known only by running it";
                    Pass(CheckNames.Mapper, $"The mapper ({where}, {source.Length} characters) can be read{(defaultMapper ? ": it is ExternalIdp's default mapper (email, name.first, name.last)" : "")}.");
                    return;
                }
                if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                {
                    mapperNote = "the mapper is fetched by Kratos from a URL";
                    Skip(CheckNames.Mapper, $"The mapper is at {url}: Kratos fetches it at sign-in; it is not read here.");
                    return;
                }
                mapperNote = "the mapper URL can't be read";
                Fail(CheckNames.Mapper, $"mapper_url '{IdpRules.Printable(url)}' is not a URL Kratos reads mappers from: use base64:// (-JsonnetMapper), file:// or https://.");
            }

            private void CheckIdentitySchema(bool defaultMapper, string mapperNote)
            {
                if (_input.IdentitySchemaUrl == null)
                {
                    Skip(CheckNames.IdentitySchema, _input.NoIdentitySchemaReason ?? "The target names no identity schema.");
                    return;
                }
                var named = $"{_input.IdentitySchemaSource}: {Short(_input.IdentitySchemaUrl)}";
                if (!defaultMapper)
                {
                    Skip(CheckNames.IdentitySchema, $"Not compared with the identity schema ({named}): {mapperNote ?? "the mapper is not ExternalIdp's default mapper"}.");
                    return;
                }
                var text = LocalDocuments.Read(_input.IdentitySchemaUrl, _input.BaseFolder, out var problem, out var where);
                if (text == null)
                {
                    Skip(CheckNames.IdentitySchema, $"The identity schema ({named}) can't be read here: {problem}.");
                    return;
                }
                var (result, message) = IdentitySchemaTraits.Check(text, $"{_input.IdentitySchemaSource}: {Short(where)}");
                Add(CheckNames.IdentitySchema, result, message);
            }

            private static string Short(string s) => s != null && s.Length > 100 ? s.Substring(0, 60) + "..." : s;
        }
    }
}
