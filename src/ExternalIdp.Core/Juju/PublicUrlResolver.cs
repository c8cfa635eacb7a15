using System;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// Finds Kratos's public URL in a model: traefik's data on kratos's public-route relation (kratos
    /// charm 2.x), or traefik's show-proxied-endpoints action for kratos's public ingress (1.x).
    /// </summary>
    internal static class PublicUrlResolver
    {
        /// <summary>The public URL and where it came from; KratosPublicUrlNotFound when the model doesn't say.</summary>
        public static KratosPublicUrl Resolve(JujuClient juju, string kratosApp, string where)
        {
            var status = juju.Status();
            if (!status.Apps.TryGetValue(kratosApp, out var kratos)) throw JujuMessages.KratosMissing(kratosApp, where, status.Apps.Keys);
            var unit = kratos.LeaderUnit ?? kratosApp + "/0";

            // kratos 2.x: traefik's data on the public-route (traefik-route) relation.
            if (kratos.Relations.TryGetValue("public-route", out var routed) && routed.Count > 0)
            {
                foreach (var data in juju.RelationData(unit, "public-route"))
                {
                    var host = data["external_host"]?.ToString();
                    if (string.IsNullOrEmpty(host)) continue;
                    var scheme = data["scheme"]?.ToString();
                    return new KratosPublicUrl { PublicUrl = (string.IsNullOrEmpty(scheme) ? "https" : scheme) + "://" + host, Source = "traefik-route" };
                }
                throw JujuMessages.PublicUrlMissing(where, kratosApp, $"traefik ('{string.Join(", ", routed)}') has not published external_host on kratos's public-route relation yet");
            }

            // kratos 1.x: traefik's show-proxied-endpoints lists kratos's ingress URL.
            // Its public ingress, never the admin one (admin-ingress goes to another traefik).
            var ingress = kratos.Relations
                .Where(kv => kv.Value.Count > 0 && kv.Key.IndexOf("ingress", StringComparison.Ordinal) >= 0 && kv.Key.IndexOf("admin", StringComparison.Ordinal) < 0)
                .OrderBy(kv => kv.Key == "public-ingress" ? 0 : 1)
                .Select(kv => kv.Value[0]).FirstOrDefault();
            if (ingress != null && status.Apps.TryGetValue(ingress, out var traefik))
            {
                var r = juju.RunAction(traefik.LeaderUnit ?? ingress + "/0", "show-proxied-endpoints");
                var result = JujuParsers.Action(r.Stdout, r.Display);
                if (result == null || !string.Equals(result.Status, "completed", StringComparison.OrdinalIgnoreCase))
                {
                    if (r.ExitCode != 0 && result == null) throw juju.Failed(r);
                    throw JujuMessages.PublicUrlMissing(where, kratosApp, $"traefik's show-proxied-endpoints action did not answer ({result?.Message ?? JujuCli.ErrorText(r)})");
                }
                var raw = result.Results["proxied-endpoints"];
                JObject endpoints = raw is JObject jo ? jo : raw != null ? JujuParsers.ParseObject(raw.ToString(), r.Display) : null;
                var url = (endpoints?[kratosApp] as JObject)?["url"]?.ToString();
                if (!string.IsNullOrEmpty(url))
                    return new KratosPublicUrl { PublicUrl = url.TrimEnd('/'), Source = "show-proxied-endpoints" };
                throw JujuMessages.PublicUrlMissing(where, kratosApp, $"traefik's show-proxied-endpoints does not list '{kratosApp}'");
            }
            throw JujuMessages.PublicUrlMissing(where, kratosApp, $"'{kratosApp}' has no public-route or ingress relation to traefik");
        }
    }
}
