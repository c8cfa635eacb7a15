using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.Tests
{
    /// <summary>Valid values for the optional settings a user gives (every value of an enum), and settings a kind needs.</summary>
    public static class Samples
    {
        public const string OrganizationId = "12345678-1234-1234-1234-123456789012";

        /// <summary>A claims request with null, essential and values claims in both parts.</summary>
        public static Hashtable Claims() => new Hashtable
        {
            ["id_token"] = new Hashtable { ["email"] = null, ["email_verified"] = new Hashtable { ["essential"] = true } },
            ["userinfo"] = new Hashtable { ["acr"] = new Hashtable { ["values"] = new object[] { "urn:mace:incommon:iap:silver", "urn:a" } }, ["given_name"] = new Hashtable { ["essential"] = false } },
        };

        /// <summary>Each valid value a user may give for a row that no kind requires (an enum: each of its values).</summary>
        public static IEnumerable<SettingValue> ValuesOf(Field f)
        {
            if (f.Type == FieldType.Enum) return f.Values.Select(SettingValue.Of);
            if (f == FieldTable.AuthUrl) return new[] { SettingValue.Of("https://sso.example.com/oauth2/authorize?tenant=main") };
            if (f == FieldTable.TokenUrl) return new[] { SettingValue.Of("https://sso.example.com/oauth2/token") };
            if (f == FieldTable.RequestedClaims) return new[] { SettingValue.OfStructure(Claims()), SettingValue.Of("{\"id_token\": {\"email\": null}}") };
            if (f == FieldTable.OrganizationId) return new[] { SettingValue.Of(OrganizationId) };
            if (f == FieldTable.AdditionalIdTokenAudiences) return new[] { SettingValue.Of(new[] { "web-client", "ios-client" }) };
            if (f == FieldTable.Label) return new[] { SettingValue.Of("Sign in") };
            if (f == FieldTable.Scope) return new[] { SettingValue.Of(new[] { "openid", "email" }) };
            return new SettingValue[0];
        }

        /// <summary>The rows with a parameter that the integrator charm has no option for.</summary>
        public static IEnumerable<Field> KratosOnly => FieldTable.Default.WithParameter.Where(f => f.CharmOption == null);

        /// <summary>Settings of a new IdP of this kind with what it requires (and an optional issuer for gitlab).</summary>
        public static IdpSettings Required(ProviderKind kind, string id)
        {
            var s = new IdpSettings { Provider = kind.Name, ProviderId = id, ClientId = "client-" + id };
            if (!kind.IsApple) s.ClientSecret = TestSecrets.Plain("secret-" + id);
            if (kind.Takes(FieldTable.IssuerUrl)) s.IssuerUrl = "https://sso.example.com/realms/main";
            if (kind.IsMicrosoft) s.TenantId = "contoso.onmicrosoft.com";
            if (kind.IsApple)
            {
                s.AppleTeamId = "TEAM123456";
                s.ApplePrivateKeyId = "KEY1234567";
                s.ApplePrivateKey = TestSecrets.Plain("-----BEGIN PRIVATE KEY-----\nMIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg\n-----END PRIVATE KEY-----");
            }
            return s;
        }
    }
}
