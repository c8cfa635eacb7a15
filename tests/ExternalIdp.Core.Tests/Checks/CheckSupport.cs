using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ExternalIdp.Core.Checks;
using ExternalIdp.Core.Tests.ConfigFile;
using FakeIdp;
using Xunit;

namespace ExternalIdp.Core.Tests.Checks
{
    /// <summary>The fake IdP (tests/fakes/FakeIdp) on loopback ports, shared by the tests of a class.</summary>
    public sealed class FakeIdpFixture : IAsyncLifetime
    {
        public static string Fixtures => Path.Combine(TestSupport.Reference, "idp-discovery");

        public FakeIdpServer Server { get; private set; } = null!;
        public string Http => Server.HttpUrl;
        public string Https => Server.HttpsUrl;

        /// <summary>The fixed issuers' origins, answered by the fake IdP (what CheckOptions.FixedOrigins takes).</summary>
        public Dictionary<string, string> Origins => new Dictionary<string, string>
        {
            ["https://accounts.google.com"] = Http + "/google",
            ["https://login.microsoftonline.com"] = Http + "/microsoft",
            ["https://appleid.apple.com"] = Http + "/apple",
            ["https://gitlab.com"] = Http + "/gitlab",
        };

        public string Keycloak => Http + "/keycloak/auth/realms/simple_openid_test";

        public async Task InitializeAsync() => Server = await FakeIdpServer.StartAsync(Fixtures);
        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    internal static class CheckSupport
    {
        public const string ClientSecret = "SEKRIT-client-secret-7f3a9c";

        /// <summary>An IdP of a config file with these Kratos settings (id and provider added).</summary>
        public static CheckSubject Subject(string provider, string id = null, Dictionary<string, object> settings = null,
            string targetType = "ConfigFile", IReadOnlyList<string> problems = null)
        {
            id ??= provider;
            var s = new Dictionary<string, object>(settings ?? new Dictionary<string, object>(), StringComparer.Ordinal)
            {
                [FieldTable.Id.Key] = id,
                [FieldTable.Provider.Key] = provider,
            };
            if (!s.ContainsKey(FieldTable.ClientId.Key)) s[FieldTable.ClientId.Key] = "client-" + id;
            if (!s.ContainsKey(FieldTable.ClientSecret.Key) && provider != "apple") s[FieldTable.ClientSecret.Key] = ClientSecret;
            var idp = new KratosIdp { Name = id, ProviderId = id, Provider = provider, TargetType = targetType, ConfigPath = targetType == "ConfigFile" ? "/tmp/kratos.yml" : null };
            return new CheckSubject(idp, Entry(s), problems ?? new string[0]);
        }

        /// <summary>An entry of these values (strings, string arrays), as a config file would give it.</summary>
        public static ProviderEntry Entry(IDictionary<string, object> values) => ProviderEntry.FromPlain(values);

        public static CheckInput Input(params CheckSubject[] subjects) => new CheckInput(subjects) { NoKratosVersionReason = "No version in this test.", NoIdentitySchemaReason = "No schema in this test." };

        public static IdpChecker Checker(FakeIdpFixture fx = null, bool offline = false, int timeoutSec = 5, string version = null)
            => new IdpChecker(new CheckOptions { Offline = offline, TimeoutSec = timeoutSec, KratosVersion = version, FixedOrigins = fx?.Origins });

        /// <summary>The checks of one IdP as check name → result.</summary>
        public static Dictionary<string, KratosIdpCheck> Run(IdpChecker checker, CheckSubject s, CheckInput input = null)
        {
            var list = checker.CheckAsync(s, input ?? Input(s), CancellationToken.None).GetAwaiter().GetResult();
            Assert.Equal(list.Count, list.Select(c => c.Check).Distinct().Count());
            Assert.All(list, c => Assert.Equal(s.Idp.Name, c.IdP));
            return list.ToDictionary(c => c.Check);
        }

        public static string Describe(Dictionary<string, KratosIdpCheck> r)
            => string.Join("\n", r.Values.Select(c => $"{c.Check}: {c.Result}: {c.Message}"));

        public static void AssertResult(Dictionary<string, KratosIdpCheck> r, string check, KratosIdpCheckResult expected, string messagePart = null)
        {
            Assert.True(r.ContainsKey(check), $"no {check} check:\n{Describe(r)}");
            Assert.True(r[check].Result == expected, $"{check} is {r[check].Result}, expected {expected}:\n{Describe(r)}");
            if (messagePart != null) Assert.Contains(messagePart, r[check].Message);
        }
    }
}
