-- The cover of a PDF edition (a bulletin's title page: its own page, centred, unnumbered) and
-- the contents lists of a PDF edition (a document's 目录, a bulletin's 本期要目) with the PDF's own
-- page numbers: each entry that links a heading of the book gets a dotted leader and the page
-- typst places that heading on. Entries whose target is not in the book keep their text.
local ids = {}

local function collect(doc)
  doc:walk({
    Header = function(h) if h.identifier ~= "" then ids[h.identifier] = true end end,
    Div = function(d) if d.identifier ~= "" then ids[d.identifier] = true end end,
    Span = function(d) if d.identifier ~= "" then ids[d.identifier] = true end end,
  })
end

local function with_page(inlines)
  local out = pandoc.List()
  local dest = nil
  for _, el in ipairs(inlines) do
    if el.t == "Link" and el.target:sub(1, 1) == "#" and ids[el.target:sub(2)] then
      dest = el.target:sub(2)
    end
    out:insert(el)
  end
  if dest and dest:match("^[%w_.-]+$") then
    out:insert(pandoc.RawInline("typst",
      '#box(width: 1fr, repeat[.])#context counter(page).at(label("' .. dest .. '")).first()'))
  end
  return out
end

local function entries(div)
  local blocks = pandoc.List({ pandoc.RawBlock("typst", "#[\n#set par(first-line-indent: 0pt)") })
  for _, block in ipairs(div.content) do
    if block.t == "BulletList" then
      for _, item in ipairs(block.content) do
        for _, b in ipairs(item) do
          if b.t == "Plain" or b.t == "Para" then blocks:insert(pandoc.Para(with_page(b.content)))
          else blocks:insert(b) end
        end
      end
    elseif block.t == "Para" or block.t == "Plain" then
      blocks:insert(pandoc.Para(with_page(block.content)))
    else
      blocks:insert(block)
    end
  end
  blocks:insert(pandoc.RawBlock("typst", "]"))
  return pandoc.Div(blocks, div.attr)  -- the list keeps its own anchor (目录 entries may link it)
end

function Pandoc(doc)
  collect(doc)
  return doc:walk({
    -- typst refuses a link to a label the book lacks: such a link is left as its text
    Link = function(link)
      if link.target:sub(1, 1) == "#" and not ids[link.target:sub(2)] then return link.content end
    end,
    Div = function(div)
      if div.classes:includes("fadian-contents") or div.classes:includes("fadian-toc") then
        return entries(div)
      end
      if div.classes:includes("fadian-cover") then
        local blocks = pandoc.List({ pandoc.RawBlock("typst",
          "#page(header: none, numbering: none)[\n#set align(center + horizon)\n#set par(first-line-indent: 0pt)") })
        blocks:extend(div.content)
        blocks:insert(pandoc.RawBlock("typst", "]"))
        return blocks
      end
    end,
  })
end
