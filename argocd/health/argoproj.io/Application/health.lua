-- The health of a child Application is the health Argo CD computed for it. Argo CD stopped
-- assessing Applications by default in 1.8; without this, an app of apps would not wait for one
-- sync wave's Applications to be healthy before it syncs the next.
local hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
end
return hs
