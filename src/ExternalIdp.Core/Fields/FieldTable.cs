using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core
{
    /// <summary>
    /// The one table of provider settings. Every row below is one Kratos key; its position is the
    /// order of keys in a new entry and the order of the parameters in help. Parameter handling,
    /// the charm's options, the KratosIdp properties, the checks of values and the Kratos release
    /// checks all read from here: adding a Kratos key is one row (and its tests).
    /// </summary>
    public sealed class FieldTable
    {
        // Rows are appended in the order they are declared (C# runs static initializers in textual order).
        private static readonly List<Field> s_rows = new List<Field>();

        private static Field Row(Field f) { s_rows.Add(f); return f; }

        public static readonly Field Id = Row(new Field("id", FieldType.Text, "ProviderId", "provider_id", "ProviderId",
            requiredByKratos: true, check: FieldChecks.ProviderId));
        public static readonly Field Provider = Row(new Field("provider", FieldType.Text, "Provider", "provider", "Provider", requiredByKratos: true));
        public static readonly Field Label = Row(new Field("label", FieldType.Text, "Label", "label", "Label", check: FieldChecks.OneLine));
        public static readonly Field ClientId = Row(new Field("client_id", FieldType.Text, "ClientId", "client_id", "ClientId",
            requiredByKratos: true, check: FieldChecks.ClientId));
        public static readonly Field ClientSecret = Row(new Field("client_secret", FieldType.Secret, "ClientSecret", "client_secret", "HasClientSecret",
            hint: "the OAuth2 client secret the identity provider issued, as a SecureString or PSCredential", check: FieldChecks.ClientSecret));
        public static readonly Field IssuerUrl = Row(new Field("issuer_url", FieldType.Url, "IssuerUrl", "issuer_url", "IssuerUrl",
            hint: "the OpenID Connect issuer URL, e.g. https://login.example.com/realms/main", check: FieldChecks.IssuerUrl));
        public static readonly Field MicrosoftTenant = Row(new Field("microsoft_tenant", FieldType.Text, "TenantId", "microsoft_tenant_id", "TenantId",
            hint: "the Azure AD / Entra tenant: its GUID, a domain, or common / organizations / consumers", check: FieldChecks.Tenant));
        public static readonly Field SubjectSource = Row(new Field("subject_source", FieldType.Enum, "SubjectSource", null, "SubjectSource",
            values: new[] { "userinfo", "me", "oid" }, valueFirstRelease: new Dictionary<string, string> { ["oid"] = "v25.4.0" }));
        public static readonly Field AppleTeamId = Row(new Field("apple_team_id", FieldType.Text, "AppleTeamId", "apple_team_id", "AppleTeamId",
            hint: "your Apple Developer Team ID", check: FieldChecks.AppleTeamId));
        public static readonly Field ApplePrivateKeyId = Row(new Field("apple_private_key_id", FieldType.Text, "ApplePrivateKeyId", "apple_private_key_id", "ApplePrivateKeyId",
            hint: "the Key ID of your Sign in with Apple key", check: FieldChecks.ApplePrivateKeyId));
        public static readonly Field ApplePrivateKey = Row(new Field("apple_private_key", FieldType.Secret, "ApplePrivateKey", "apple_private_key", "HasApplePrivateKey",
            hint: "the PEM content of the .p8 key file, as a SecureString", check: FieldChecks.PemKey));
        public static readonly Field Scope = Row(new Field("scope", FieldType.List, "Scope", "scope", "Scope", check: FieldChecks.ScopeItem));
        public static readonly Field MapperUrl = Row(new Field("mapper_url", FieldType.Url, "MapperUrl", "jsonnet_mapper", "MapperUrl",
            requiredByKratos: true, check: FieldChecks.MapperUrl, altParameter: "JsonnetMapper"));
        public static readonly Field ClaimsSource = Row(new Field("claims_source", FieldType.Enum, "ClaimsSource", null, "ClaimsSource",
            values: new[] { "id_token", "userinfo" }, firstRelease: "v1.1.0"));
        public static readonly Field Pkce = Row(new Field("pkce", FieldType.Enum, "Pkce", null, "Pkce",
            values: new[] { "auto", "never", "force" }, firstRelease: "v1.3.0"));
        public static readonly Field AuthUrl = Row(new Field("auth_url", FieldType.Url, "AuthUrl", null, "AuthUrl",
            hint: "the IdP's authorization endpoint, e.g. https://sso.example.com/oauth2/authorize", check: FieldChecks.EndpointUrl));
        public static readonly Field TokenUrl = Row(new Field("token_url", FieldType.Url, "TokenUrl", null, "TokenUrl",
            hint: "the IdP's token endpoint, e.g. https://sso.example.com/oauth2/token", check: FieldChecks.EndpointUrl));
        public static readonly Field RequestedClaims = Row(new Field("requested_claims", FieldType.Json, "RequestedClaims", null, "RequestedClaims",
            check: FieldChecks.ClaimsRequest));
        public static readonly Field OrganizationId = Row(new Field("organization_id", FieldType.Text, "OrganizationId", null, "OrganizationId",
            firstRelease: "v1.1.0", check: FieldChecks.OrganizationId));
        public static readonly Field AdditionalIdTokenAudiences = Row(new Field("additional_id_token_audiences", FieldType.List, "AdditionalIdTokenAudiences", null, "AdditionalIdTokenAudiences",
            firstRelease: "v1.1.0", check: FieldChecks.ClientIdItem));
        // Keys Kratos accepts that have no parameter: kept by every edit, shown in KratosIdp.OtherSettings.
        public static readonly Field FedcmConfigUrl = Row(new Field("fedcm_config_url", FieldType.Url, firstRelease: "v25.4.0"));
        public static readonly Field NetIdTokenOriginHeader = Row(new Field("net_id_token_origin_header", FieldType.Text, firstRelease: "v25.4.0"));
        public static readonly Field AccountLinkingMode = Row(new Field("account_linking_mode", FieldType.Enum, "AccountLinkingMode", null, "AccountLinkingMode",
            values: new[] { "confirm_with_existing_credential", "automatic" }, firstRelease: "v26.2.0"));

        /// <summary>The table of the module: the rows above, in their order.</summary>
        public static readonly FieldTable Default = new FieldTable(s_rows);

        private readonly Dictionary<string, Field> _byKey;
        private readonly Dictionary<string, Field> _byParameter;
        private readonly Dictionary<string, Field> _byOption;

        /// <summary>A table of these rows, in this order (tests build one with a made-up row).</summary>
        internal FieldTable(IEnumerable<Field> rows)
        {
            Rows = rows.ToList();
            _byKey = Rows.ToDictionary(f => f.Key, StringComparer.Ordinal);
            _byParameter = Rows.SelectMany(f => new[] { f.Parameter, f.AltParameter }.Where(p => p != null).Select(p => (p, f)))
                .ToDictionary(x => x.p, x => x.f, StringComparer.OrdinalIgnoreCase);
            _byOption = Rows.Where(f => f.CharmOption != null).ToDictionary(f => f.CharmOption, StringComparer.Ordinal);
        }

        /// <summary>This table with one more row, placed after the row named (tests).</summary>
        internal FieldTable With(Field row, Field after)
        {
            var rows = Rows.ToList();
            rows.Insert(rows.IndexOf(after) + 1, row);
            return new FieldTable(rows);
        }

        public IReadOnlyList<Field> Rows { get; }

        /// <summary>The rows that have a parameter, in help order.</summary>
        public IEnumerable<Field> WithParameter => Rows.Where(f => f.Parameter != null);

        /// <summary>The row of a Kratos key, or null for a key Kratos doesn't know.</summary>
        public Field ByKey(string key) => key != null && _byKey.TryGetValue(key, out var f) ? f : null;

        /// <summary>The row a parameter (or its alternative, -JsonnetMapper) sets, or null.</summary>
        public Field ByParameter(string parameter) => parameter != null && _byParameter.TryGetValue(parameter, out var f) ? f : null;

        /// <summary>The row of an integrator option, or null.</summary>
        public Field ByCharmOption(string option) => option != null && _byOption.TryGetValue(option, out var f) ? f : null;

        /// <summary>The position of a key in a new entry (keys no row knows go last).</summary>
        public int OrderOf(string key)
        {
            var f = ByKey(key);
            return f == null ? int.MaxValue : IndexOf(f);
        }

        private int IndexOf(Field f)
        {
            for (int i = 0; i < Rows.Count; i++) if (ReferenceEquals(Rows[i], f)) return i;
            return int.MaxValue;
        }

        /// <summary>The parameter names of the rows, and their alternatives, in table order ("ProviderId", ..., "MapperUrl", "JsonnetMapper", ...).</summary>
        public IEnumerable<string> Parameters
            => WithParameter.SelectMany(f => f.AltParameter == null ? new[] { f.Parameter } : new[] { f.Parameter, f.AltParameter });
    }
}
