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
        public static List<KratosIdp> All(KratosConfigDocument doc, IIdpTarget target, FieldTable fields, KratosRelease release)
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
                list.Add(One(doc, item, target, fields, release, dup, enabled, baseUrl));
            }
            return list;
        }

        /// <summary>One entry (not a duplicate: a change refuses duplicated ids).</summary>
        public static KratosIdp One(KratosConfigDocument doc, YNode item, IIdpTarget target, FieldTable fields, KratosRelease release)
            => One(doc, item, target, fields, release, false, doc.OidcEnabled, RedirectBase(doc, null));

        private static KratosIdp One(KratosConfigDocument doc, YNode item, IIdpTarget target, FieldTable fields, KratosRelease release, bool duplicate, bool enabled, string baseUrl)
        {
            var idp = new KratosIdp { Enabled = enabled, KratosVersion = release.Name, KratosVersionSource = release.Source };
            target.Stamp(idp);
            var problems = new List<string>();
            if (item is YMapping m)
            {
                var e = doc.Entry(m);
                IdpView.Fill(idp, e, fields);
                idp.Name = idp.ProviderId;
                problems.AddRange(IdpProblems.OfFileEntry(e, fields, duplicate, release.Known));
                problems.AddRange(KratosVersionRules.Problems(release, e, fields));
                if (baseUrl != null && !string.IsNullOrEmpty(idp.ProviderId))
                {
                    try
                    {
                        idp.RedirectUri = RedirectUris.Build(baseUrl, idp.ProviderId, idp.Pkce, e.ScalarText(FieldTable.OrganizationId.Key));
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
