# Azure Functions profile.ps1
#
# This profile.ps1 will get executed every "cold start" of your Function App.

# Authenticate with Azure PowerShell using MSI.
if ($env:MSI_SECRET) {
    Disable-AzContextAutosave -Scope Process | Out-Null
    Connect-AzAccount -Identity
}
