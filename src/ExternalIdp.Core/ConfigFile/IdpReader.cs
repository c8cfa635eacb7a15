using System;
using System.Collections.Generic;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// The provider entries of a document as KratosIdp objects: their settings (never a secret), status
    /// and problems, and the redirect URI when the document gives a usable public URL.
    /// </summary>
    internal static class IdpReader
    {
        /// <summary>Every entry of the providers list, in order; a second entry with an id is marked a duplicate.</summary>
        public static List<KratosIdp> All(KratosConfigDocument doc, IIdpTarget target)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var list = new List<KratosIdp>(doc.Items.Count);
            // Document-wide values, read once for all entries.
            bool enabled = doc.OidcEnabled;
            var baseUrl = RedirectBase(doc, null);
            foreach (var item in doc.Items)
            {
                var id = doc.IdOf(item);
                bool dup = id != null && !seen.Add(id);
                list.Add(One(doc, item, target, dup, enabled, baseUrl));
            }
            return list;
        }

        /// <summary>One entry (not a duplicate: a change refuses duplicated ids).</summary>
        public static KratosIdp One(KratosConfigDocument doc, YNode item, IIdpTarget target)
            => One(doc, item, target, false, doc.OidcEnabled, RedirectBase(doc, null));

        private static KratosIdp One(KratosConfigDocument doc, YNode item, IIdpTarget target, bool duplicate, bool enabled, string baseUrl)
        {
            var idp = new KratosIdp { Enabled = enabled };
            target.Stamp(idp);
            var problems = new List<string>();
            if (item is YMapping m)
            {
                var e = doc.Entry(m);
                string Get(string key) => EntryValues.Text(e, key);
                idp.Name = idp.ProviderId = Get(Fields.Id);
                idp.Provider = Get(Fields.Provider);
                idp.ClientId = Get(Fields.ClientId);
                idp.Label = Get(Fields.Label);
                idp.Scope = e.TryGetValue(Fields.Scope, out var sc) && sc is string[] arr ? arr : new string[0];
                idp.IssuerUrl = Get(Fields.IssuerUrl);
                idp.TenantId = Get(Fields.MicrosoftTenant);
                idp.AppleTeamId = Get(Fields.AppleTeamId);
                idp.ApplePrivateKeyId = Get(Fields.ApplePrivateKeyId);
                idp.MapperUrl = Get(Fields.MapperUrl);
                idp.SubjectSource = Get(Fields.SubjectSource);
                idp.ClaimsSource = Get(Fields.ClaimsSource);
                idp.Pkce = Get(Fields.Pkce);
                idp.HasClientSecret = !string.IsNullOrEmpty(Get(Fields.ClientSecret));
                idp.HasApplePrivateKey = !string.IsNullOrEmpty(Get(Fields.ApplePrivateKey));
                problems.AddRange(IdpRules.KratosProblems(e));
                // Templates leave values empty for a later step to fill in; Kratos can't use them as they are.
                foreach (var k in new[] { Fields.ClientId, Fields.ClientSecret, Fields.ApplePrivateKey })
                {
                    if (!e.TryGetValue(k, out var v) || !(v is string sv) || sv.Length > 0) continue;
                    if (k == Fields.ClientSecret && idp.Provider == "apple") continue;
                    problems.Add(ConfigFileMessages.EmptyTemplateValue(k));
                }
                if (duplicate)
                    problems.Add(ConfigFileMessages.DuplicateId(idp.ProviderId));
                if (baseUrl != null && !string.IsNullOrEmpty(idp.ProviderId))
                {
                    try
                    {
                        idp.RedirectUri = RedirectUris.Build(baseUrl, idp.ProviderId, idp.Pkce, Get(Fields.OrganizationId));
                        idp.RedirectUriSource = "Computed";
                    }
                    catch (ExternalIdpException) { }
                }
            }
            else problems.Add(ConfigFileMessages.NotAMappingEntry(item));
            idp.Problems = problems.ToArray();
            idp.Status = problems.Count == 0 ? "Valid" : "Invalid";
            idp.StatusMessage = problems.Count == 0 ? null : string.Join("; ", problems);
            return idp;
        }

        /// <summary>The redirect base: -PublicUrl, base_redirect_uri, serve.public.base_url (skipping templates).</summary>
        public static string RedirectBase(KratosConfigDocument doc, string publicUrl)
        {
            foreach (var b in new[] { publicUrl, doc.BaseRedirectUri, doc.PublicBaseUrl })
            {
                if (string.IsNullOrWhiteSpace(b)) continue;
                if (IdpRules.IsPlaceholder(b)) continue;
                return b;
            }
            return null;
        }
    }
}
