using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using ExternalIdp.Core;
using ExternalIdp.Core.DesiredState;

namespace ExternalIdp.Commands
{
    /// <summary>Pipeline input of Compare and Sync as desired IdPs.</summary>
    internal static class DesiredInput
    {
        /// <summary>KratosIdp properties that describe its state or target, not a setting: ignored on objects.</summary>
        private static readonly HashSet<string> NotSettings = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Enabled", "HasClientSecret", "HasApplePrivateKey", "RedirectUri", "RedirectUriSource", "Status", "StatusMessage",
            "Problems", "TargetType", "ConfigPath", "ConfigRoot", "Model", "KratosApplication", "Related",
            "PSComputerName", "RunspaceId", "PSShowComputerName",
        };

        private static object Base(object v) => v is PSObject p ? p.BaseObject : v;

        public static DesiredIdp From(object input, int index)
        {
            var value = Base(input);
            if (value is KratosIdp idp)
            {
                var where = idp.ConfigPath ?? (idp.Model != null ? "model " + idp.Model : "the current Juju model");
                var d = DesiredFrom.Idp(idp, $"pipeline input {index}, the IdP '{idp.Name}' of {where}");
                d.From = idp;
                return d;
            }
            var pairs = new List<KeyValuePair<string, object>>();
            bool strict;
            if (value is IDictionary dict)
            {
                strict = true;
                foreach (DictionaryEntry e in dict) pairs.Add(new KeyValuePair<string, object>(Convert.ToString(Base(e.Key), System.Globalization.CultureInfo.InvariantCulture), e.Value));
            }
            else if (input is PSObject pso && !(value is string) && !value.GetType().IsPrimitive)
            {
                strict = false;
                foreach (var p in pso.Properties)
                {
                    if (!p.IsGettable) continue;
                    object v;
                    try { v = p.Value; } catch (GetValueException) { continue; }
                    pairs.Add(new KeyValuePair<string, object>(p.Name, v));
                }
            }
            else
                throw Invalid(index, $"is {(value == null ? "null" : "a " + value.GetType().Name)}; pipe KratosIdp objects (Get-KratosIdp), or hashtables or objects with Name and settings (Provider, ClientId, ...).");

            var name = pairs.Where(kv => string.Equals(kv.Key, "Name", StringComparison.OrdinalIgnoreCase)).Select(kv => Base(kv.Value) as string).FirstOrDefault();
            if (string.IsNullOrWhiteSpace(name)) throw Invalid(index, "has no Name: give each desired IdP its name (config file: its provider id; Juju: the integrator application).");
            var desired = new DesiredIdp(name, $"pipeline input {index}");
            foreach (var kv in pairs)
            {
                if (string.Equals(kv.Key, "Name", StringComparison.OrdinalIgnoreCase)) continue;
                var v = Base(kv.Value);
                var setting = DesiredSettings.ByAnyName(kv.Key);
                if (setting != null)
                {
                    if (v == null) continue;
                    Take(desired, setting, v, index);
                    continue;
                }
                if (DesiredSettings.ExtraKeys.Contains(kv.Key))
                {
                    if (v != null) desired.Extras[kv.Key] = Neutral(v);
                    continue;
                }
                if (!strict && NotSettings.Contains(kv.Key)) continue;
                if (!strict && v == null) continue;
                throw Invalid(index, $"has '{kv.Key}', which is not a setting. Settings: Name, {string.Join(", ", DesiredSettings.All.Select(s => s.SettingsProperty))} (or their desired-state names: client_id, ...), and the Kratos keys {string.Join(", ", DesiredSettings.ExtraKeys.OrderBy(x => x, StringComparer.Ordinal))}.");
            }
            return desired;
        }

        private static void Take(DesiredIdp d, DesiredSetting setting, object v, int index)
        {
            switch (setting.Shape)
            {
                case DesiredShape.Text:
                    setting.Assign(d.Settings, LanguagePrimitives.ConvertTo<string>(v));
                    return;
                case DesiredShape.List:
                    if (v is string one) setting.Assign(d.Settings, new[] { one });
                    else if (v is IEnumerable e) setting.Assign(d.Settings, e.Cast<object>().Select(x => LanguagePrimitives.ConvertTo<string>(Base(x))).ToArray());
                    else setting.Assign(d.Settings, new[] { LanguagePrimitives.ConvertTo<string>(v) });
                    return;
                case DesiredShape.Secret:
                    switch (v)
                    {
                        case string name when name.Trim().Length > 0: d.SecretNames[setting.Name] = name.Trim(); return;
                        case SecureString ss: setting.Assign(d.Settings, new SecretValue(ss)); return;
                        case PSCredential c when c.Password != null: setting.Assign(d.Settings, new SecretValue(c.Password)); return;
                        default:
                            throw Invalid(index, $"has {setting.SettingsProperty} as {(v is string ? "an empty text" : "a " + v.GetType().Name)}: give the name of a secret (resolved by -Secret or -Vault), a SecureString or a PSCredential.");
                    }
            }
        }

        private static object Neutral(object v)
        {
            v = Base(v);
            switch (v)
            {
                case null: return null;
                case string s: return s;
                case bool b: return b;
                case IDictionary d:
                {
                    var r = new Dictionary<string, object>(StringComparer.Ordinal);
                    foreach (DictionaryEntry e in d) r[Convert.ToString(Base(e.Key), System.Globalization.CultureInfo.InvariantCulture)] = Neutral(e.Value);
                    return r;
                }
                case IEnumerable e: return e.Cast<object>().Select(Neutral).ToList();
                default: return LanguagePrimitives.ConvertTo<string>(v);
            }
        }

        private static ExternalIdpException Invalid(int index, string what)
            => new ExternalIdpException(ErrorIds.DesiredStateInvalid, ErrorKind.InvalidArgument, $"Pipeline input {index} {what} It was left out.", index);
    }
}
