using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using ExternalIdp.Core.Checks;
using FakeIdp;
using Xunit;
using static ExternalIdp.Core.Tests.Checks.CheckSupport;
using R = ExternalIdp.KratosIdpCheckResult;

namespace ExternalIdp.Core.Tests.Checks
{
    /// <summary>
    /// The online checks against the fake IdP, which serves the discovery documents and key sets of
    /// Google, Microsoft (common, organizations, a tenant), Apple, GitLab and a Keycloak realm, and
    /// broken variants. The fixed issuers are routed to it through CheckOptions.FixedOrigins.
    /// </summary>
    public class OnlineCheckTests : IClassFixture<FakeIdpFixture>
    {
        private readonly FakeIdpFixture _fx;
        public OnlineCheckTests(FakeIdpFixture fx) { _fx = fx; }

        private Dictionary<string, KratosIdpCheck> Check(CheckSubject s, int timeoutSec = 5)
        {
            using var checker = Checker(_fx, timeoutSec: timeoutSec);
            return Run(checker, s);
        }

        private static void AllOnlinePass(Dictionary<string, KratosIdpCheck> r, params string[] except)
        {
            foreach (var c in CheckNames.Online.Except(except))
                AssertResult(r, c, R.Pass);
        }

        [Fact]
        public void Google_passes_every_online_check_with_the_issuer_Kratos_fixes_for_it()
        {
            var r = Check(Subject("google", settings: new Dictionary<string, object> { [FieldTable.Scope.Key] = new[] { "email", "profile" } }));
            AllOnlinePass(r);
            Assert.Equal(_fx.Http + "/google/.well-known/openid-configuration", r[CheckNames.Discovery].Url);
            Assert.Contains($"'{_fx.Http}/google'", r[CheckNames.Issuer].Message);
            Assert.Contains("Kratos adds openid", r[CheckNames.Scopes].Message);
            Assert.Contains("so Kratos uses PKCE (S256)", r[CheckNames.Pkce].Message);
            Assert.Equal(_fx.Http + "/google-apis/oauth2/v3/certs", r[CheckNames.Jwks].Url);
            Assert.Contains("2 keys (RS256)", r[CheckNames.Jwks].Message);
        }

        [Theory]
        [InlineData("common", "{tenantid}")]
        [InlineData("organizations", "{tenantid}")]
        [InlineData("88888888-8888-8888-8888-888888888888", "88888888-8888-8888-8888-888888888888")]
        [InlineData("contoso.onmicrosoft.com", "88888888-8888-8888-8888-888888888888")]
        public void Microsoft_accepts_the_tenant_template_and_the_tenants_guid_as_Kratos_does(string tenant, string named)
        {
            var r = Check(Subject("microsoft", settings: new Dictionary<string, object>
            {
                [FieldTable.MicrosoftTenant.Key] = tenant, [FieldTable.Scope.Key] = new[] { "openid", "email", "profile" },
            }));
            AllOnlinePass(r);
            Assert.Equal($"{_fx.Http}/microsoft/{tenant}/v2.0/.well-known/openid-configuration", r[CheckNames.Discovery].Url);
            Assert.Contains($"{_fx.Http}/microsoft/{named}/v2.0", r[CheckNames.Issuer].Message);
            Assert.Contains("tid", r[CheckNames.Issuer].Message);
            // Kratos's microsoft provider has no issuer URL for its PKCE discovery.
            Assert.Contains("doesn't set, so it signs in without PKCE", r[CheckNames.Pkce].Message);
        }

        [Fact]
        public void Microsoft_fails_when_the_document_names_another_tenant()
        {
            var r = Check(Subject("microsoft", settings: new Dictionary<string, object> { [FieldTable.MicrosoftTenant.Key] = "99999999-9999-9999-9999-999999999999" }));
            AssertResult(r, CheckNames.Discovery, R.Pass);
            AssertResult(r, CheckNames.Issuer, R.Fail, "names tenant 88888888-8888-8888-8888-888888888888");
        }

        [Fact]
        public void Microsoft_with_an_unknown_tenant_fails_discovery()
        {
            var r = Check(Subject("microsoft", settings: new Dictionary<string, object> { [FieldTable.MicrosoftTenant.Key] = "fabrikam.example" }));
            AssertResult(r, CheckNames.Discovery, R.Fail, "404");
            foreach (var c in CheckNames.Online.Skip(1)) AssertResult(r, c, R.Skipped, "could not be read");
        }

        [Fact]
        public void Apple_passes_with_its_fixed_issuer_and_names_the_missing_pkce_announcement()
        {
            var r = Check(Subject("apple", settings: new Dictionary<string, object> { [FieldTable.Scope.Key] = new[] { "email", "name" } }));
            AllOnlinePass(r);
            Assert.Contains("doesn't list S256", r[CheckNames.Pkce].Message);
            Assert.Contains("3 keys", r[CheckNames.Jwks].Message);
        }

        [Fact]
        public void Gitlab_without_issuer_url_reads_gitlab_com()
        {
            var r = Check(Subject("gitlab", settings: new Dictionary<string, object> { [FieldTable.Scope.Key] = new[] { "read_user", "openid", "profile", "email" } }));
            AllOnlinePass(r);
            Assert.Equal(_fx.Http + "/gitlab/.well-known/openid-configuration", r[CheckNames.Discovery].Url);
            Assert.Contains("doesn't set, so it signs in without PKCE", r[CheckNames.Pkce].Message);
        }

        [Fact]
        public void Gitlab_issuer_url_with_a_trailing_slash_warns_only_when_pkce_discovery_compares_it()
        {
            var settings = new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Http + "/gitlab/" };
            var r = Check(Subject("gitlab", settings: settings));
            AssertResult(r, CheckNames.Discovery, R.Pass);
            AssertResult(r, CheckNames.Issuer, R.Warning, $"Set issuer_url to '{_fx.Http}/gitlab'");
            settings[FieldTable.Pkce.Key] = "never";
            r = Check(Subject("gitlab", settings: settings));
            AssertResult(r, CheckNames.Issuer, R.Pass, "matters only for PKCE auto-discovery");
            AssertResult(r, CheckNames.Pkce, R.Skipped, "pkce: never");
        }

        [Fact]
        public void A_keycloak_realm_passes_as_a_generic_issuer()
        {
            var r = Check(Subject("generic", "keycloak", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Keycloak, [FieldTable.Scope.Key] = new[] { "email", "profile" } }));
            AllOnlinePass(r);
            Assert.Contains("character for character", r[CheckNames.Issuer].Message);
        }

        [Fact]
        public void A_generic_issuer_url_with_a_trailing_slash_fails_as_go_oidc_fails_it()
        {
            var r = Check(Subject("generic", "keycloak", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Keycloak + "/" }));
            AssertResult(r, CheckNames.Discovery, R.Pass);
            AssertResult(r, CheckNames.Issuer, R.Fail, $"Set issuer_url to '{_fx.Keycloak}'");
            Assert.Contains("issuer did not match", r[CheckNames.Issuer].Message);
            AssertResult(r, CheckNames.Pkce, R.Pass, "fails (see Issuer)");
        }

        [Fact]
        public void A_wrong_issuer_fails_and_names_the_one_to_use()
        {
            var r = Check(Subject("generic", "kc", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Http + "/broken/wrong-issuer" }));
            AssertResult(r, CheckNames.Issuer, R.Fail, $"'{_fx.Http}/keycloak/auth/realms/other_realm'");
        }

        [Fact]
        public void Pkce_force_fails_without_S256_and_auto_signs_in_without_pkce()
        {
            var settings = new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Http + "/broken/no-s256", [FieldTable.Pkce.Key] = "force" };
            var r = Check(Subject("generic", "kc", settings));
            AssertResult(r, CheckNames.Pkce, R.Fail, "lists only plain");
            settings[FieldTable.Pkce.Key] = "auto";
            r = Check(Subject("generic", "kc", settings));
            AssertResult(r, CheckNames.Pkce, R.Pass, "doesn't list S256 in code_challenge_methods_supported, so Kratos signs in without PKCE");
            settings.Remove(FieldTable.Pkce.Key);
            r = Check(Subject("generic", "kc", settings));
            AssertResult(r, CheckNames.Pkce, R.Pass, "Kratos's default: auto");
        }

        [Fact]
        public void A_scope_the_idp_does_not_list_is_a_warning_that_names_it()
        {
            var r = Check(Subject("generic", "kc", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Http + "/broken/missing-scope", [FieldTable.Scope.Key] = new[] { "email", "profile" } }));
            AssertResult(r, CheckNames.Scopes, R.Warning, "doesn't list email in scopes_supported");
            Assert.DoesNotContain("profile,", r[CheckNames.Scopes].Message.Split("scopes_supported")[0]);
        }

        [Fact]
        public void On_Juju_an_unset_scope_is_the_charms_default_which_google_does_not_list()
        {
            var r = Check(Subject("google", targetType: "Juju"));
            AssertResult(r, CheckNames.Scopes, R.Warning, "doesn't list address, phone");
            Assert.Contains("integrator charm's default", r[CheckNames.Scopes].Message);
        }

        [Fact]
        public void A_404_fails_discovery_and_skips_the_rest()
        {
            var r = Check(Subject("generic", "kc", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Http + "/broken/not-found" }));
            AssertResult(r, CheckNames.Discovery, R.Fail, "answered 404 Not Found");
            Assert.Contains("Check issuer_url", r[CheckNames.Discovery].Message);
            foreach (var c in CheckNames.Online.Skip(1)) AssertResult(r, c, R.Skipped);
        }

        [Fact]
        public void A_slow_issuer_fails_after_the_timeout_not_later()
        {
            var watch = Stopwatch.StartNew();
            var r = Check(Subject("generic", "kc", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Http + "/broken/slow" }), timeoutSec: 1);
            watch.Stop();
            AssertResult(r, CheckNames.Discovery, R.Fail, "gave no answer within 1 s (-TimeoutSec)");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
        }

        [Fact]
        public void Invalid_json_fails_discovery()
        {
            var r = Check(Subject("generic", "kc", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Http + "/broken/invalid-json" }));
            AssertResult(r, CheckNames.Discovery, R.Fail, "answered 200 but not with JSON");
        }

        [Fact]
        public void A_self_signed_certificate_is_a_tls_failure_with_its_reason()
        {
            var r = Check(Subject("generic", "kc", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Https + "/keycloak/auth/realms/simple_openid_test" }));
            AssertResult(r, CheckNames.Discovery, R.Fail, "failed TLS");
            Assert.Contains("not issued by an authority this machine trusts", r[CheckNames.Discovery].Message);
        }

        [Fact]
        public void An_empty_key_set_fails_jwks()
        {
            var r = Check(Subject("generic", "kc", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Http + "/broken/empty-keys" }));
            AssertResult(r, CheckNames.Issuer, R.Pass);
            AssertResult(r, CheckNames.Jwks, R.Fail, "empty key set");
        }

        [Fact]
        public void Kinds_that_use_an_oauth2_api_have_only_a_skipped_discovery()
        {
            var r = Check(Subject("github"));
            AssertResult(r, CheckNames.Discovery, R.Skipped, "through its OAuth2 API");
            foreach (var c in CheckNames.Online.Skip(1)) Assert.False(r.ContainsKey(c), c);
        }

        [Fact]
        public void Offline_reads_nothing_and_reports_the_online_checks_skipped()
        {
            var before = _fx.Server.Requests.Count;
            using var checker = Checker(_fx, offline: true);
            var r = Run(checker, Subject("google"));
            foreach (var c in CheckNames.Online) AssertResult(r, c, R.Skipped, "-Offline");
            Assert.Equal(before, _fx.Server.Requests.Count);
        }

        [Fact]
        public void Nothing_but_GETs_of_public_documents_is_sent_no_secret_no_key()
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var pem = ec.ExportPkcs8PrivateKeyPem();
            var marker = Guid.NewGuid().ToString("N");
            var subjects = new[]
            {
                Subject("google", "google-" + marker),
                Subject("microsoft", "ms-" + marker, new Dictionary<string, object> { [FieldTable.MicrosoftTenant.Key] = "common" }),
                Subject("generic", "kc-" + marker, new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Keycloak }),
                Subject("apple", "apple-" + marker, new Dictionary<string, object>
                {
                    [FieldTable.AppleTeamId.Key] = "TEAM123456", [FieldTable.ApplePrivateKeyId.Key] = "KEY1234567", [FieldTable.ApplePrivateKey.Key] = pem,
                }),
            };
            var before = _fx.Server.Requests.Count;
            using (var checker = Checker(_fx))
            {
                var input = Input(subjects);
                var all = Task.WhenAll(subjects.Select(s => checker.CheckAsync(s, input, CancellationToken.None))).GetAwaiter().GetResult();
                Assert.All(all.SelectMany(x => x), c => Assert.NotEqual(R.Fail, c.Result));
                var keyLines = pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 20 && !l.StartsWith("-----")).ToList();
                foreach (var c in all.SelectMany(x => x))
                {
                    Assert.DoesNotContain(ClientSecret, c.Message);
                    foreach (var l in keyLines) Assert.DoesNotContain(l, c.Message);
                }
            }
            var sent = _fx.Server.Requests.Skip(before).ToList();
            Assert.Equal(8, sent.Count); // discovery and key set of each of the four
            foreach (var q in sent)
            {
                Assert.Equal("GET", q.Method);
                Assert.Equal("", q.Body);
                Assert.False(q.Headers.ContainsKey("Authorization"));
                Assert.False(q.Headers.ContainsKey("Cookie"));
                var all = q.RawTarget + "\n" + string.Join("\n", q.Headers.Select(h => h.Key + ": " + h.Value));
                Assert.DoesNotContain(ClientSecret, all);
                Assert.DoesNotContain("client-", all); // not even the client id
                Assert.DoesNotContain("TEAM123456", all);
            }
        }

        [Fact]
        public async Task The_idps_are_checked_at_the_same_time()
        {
            await using var slow = await FakeIdpServer.StartAsync(FakeIdpFixture.Fixtures, delayMs: 300);
            var issuer = slow.HttpUrl + "/keycloak/auth/realms/simple_openid_test";
            CheckSubject Kc(int i) => Subject("generic", "kc" + i, new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = issuer });
            using var checker = Checker(timeoutSec: 10);
            // Warm up the connection pool and JIT, then one IdP, then ten.
            await checker.CheckAsync(Kc(0), Input(Kc(0)), CancellationToken.None);
            var one = Stopwatch.StartNew();
            await checker.CheckAsync(Kc(1), Input(Kc(1)), CancellationToken.None);
            one.Stop();
            var subjects = Enumerable.Range(2, 10).Select(Kc).ToArray();
            var input = Input(subjects);
            var ten = Stopwatch.StartNew();
            var results = await Task.WhenAll(subjects.Select(s => checker.CheckAsync(s, input, CancellationToken.None)));
            ten.Stop();
            Assert.All(results.SelectMany(x => x), c => Assert.NotEqual(R.Fail, c.Result));
            Assert.True(one.ElapsedMilliseconds >= 500, $"one IdP took {one.ElapsedMilliseconds} ms: two requests of 300 ms each");
            Assert.True(ten.ElapsedMilliseconds < 2 * one.ElapsedMilliseconds, $"ten IdPs took {ten.ElapsedMilliseconds} ms, one took {one.ElapsedMilliseconds} ms");
        }

        [Fact]
        public void Cancellation_stops_the_requests()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            using var checker = Checker(_fx, timeoutSec: 30);
            var s = Subject("generic", "kc", new Dictionary<string, object> { [FieldTable.IssuerUrl.Key] = _fx.Http + "/broken/slow" });
            var watch = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => checker.CheckAsync(s, Input(s), cts.Token).GetAwaiter().GetResult());
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        }
    }
}
