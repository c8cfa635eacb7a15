using System;
using System.Management.Automation;
using System.Security;

namespace ExternalIdp.Commands
{
    /// <summary>
    /// Lets a SecureString parameter take a PSCredential (its Password is used, e.g. from
    /// Get-AutomationPSCredential or Get-Credential), and refuses a plain string with a message
    /// that says how to make a SecureString. The value itself never appears in the message.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecretTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case null:
                    return null;
                case SecureString secure:
                    return secure;
                case PSCredential credential:
                    return credential.Password;
                case string _:
                case char[] _:
                    throw new ArgumentTransformationMetadataException(
                        "A plain string can't be used as a secret: it would stay readable in memory, history and logs. " +
                        "Pass a SecureString, e.g. (Read-Host -AsSecureString), (Get-Credential).Password, " +
                        "(ConvertTo-SecureString -String $value -AsPlainText -Force) or (Get-Secret <name>), or a PSCredential " +
                        "(its password is used).");
                default:
                    throw new ArgumentTransformationMetadataException(
                        $"A value of type {value.GetType().FullName} can't be used as a secret. Pass a SecureString or a PSCredential (its password is used).");
            }
        }
    }
}
