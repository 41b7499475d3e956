-- Argo CD health of a UserManagementInstance, from the status its operator writes.
--   Progressing: no status yet, or a status older than the spec (observedGeneration behind
--                metadata.generation: whatever it says may be fixed by the new spec)
--   Degraded:    Degraded=True for the current generation (a missing Secret, a failed
--                migration...)
--   Progressing: Ready not True (rolling out, databases starting)
--   Healthy:     Ready=True for the current generation
local hs = {}
local generation = obj.metadata.generation or 0

local function condition(kind)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return c.reason .. ": " .. c.message
  end
  return c.reason
end

if obj.status == nil or obj.status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report a status"
  return hs
end

if obj.status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "The operator has not yet acted on generation " .. generation ..
    " (status is for " .. obj.status.observedGeneration .. ")"
  return hs
end

local degraded = condition("Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded)
  return hs
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end

hs.status = "Progressing"
if ready ~= nil then
  hs.message = describe(ready)
else
  hs.message = "Waiting for the Ready condition"
end
return hs
