import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { testOptions } from "./helpers.js";
import { useDevServer, useProject, useReplica } from "./hooks.js";

const replica = useReplica("test");
const project = useProject("game");
const dev = useDevServer();

beforeEach(async () => {
  await writeFile(path.join(project.root, "src/main.js"), `import credits from "oga:credits";\nimport music from "oga:battle-theme-a";\nexport { credits, music };\n`);
  await dev.start(project.root, testOptions(project, replica.url));
});

async function get(url: string): Promise<string> {
  const res = await fetch(dev.base + url);
  expect(res.status, url).toBe(200);
  return res.text();
}

/** Loads a source file and every `oga:` module it imports (what a browser would do). */
async function visit(url: string): Promise<void> {
  const code = await get(url);
  for (const [, id] of code.matchAll(/from\s+["']([^"']*oga:[^"']*)["']/g)) if (!id!.includes("oga:credits")) await get(id!);
}

/** The asset ids the dev server's credits endpoint lists right now (what the browser asks for). */
async function creditedIds(): Promise<string[]> {
  return (JSON.parse(await get("/@oga/credits.json")) as { id: string }[]).map((c) => c.id);
}

describe("oga:credits in dev", () => {
  it("lists the assets loaded so far and is refreshed as imports are added", async () => {
    await visit("/src/main.js");
    // Vite pre-transforms main.js's imports together, so the asset may load a moment later.
    await expect.poll(creditedIds, { timeout: 5000 }).toEqual(["battle-theme-a"]);

    await writeFile(path.join(project.root, "src/level2.js"), `import tiles from "oga:dungeon-tileset/dungeon_tileset.png";\nexport { tiles };\n`);
    await visit("/src/level2.js");
    await expect.poll(creditedIds, { timeout: 5000 }).toEqual(["battle-theme-a", "dungeon-tileset"]);
  });

  it("carries the same records as a build: collaborators and the SPDX id", async () => {
    await writeFile(path.join(project.root, "src/level2.js"), `import jump from "oga:retro-sfx-pack/jump.wav";\nexport { jump };\n`);
    await visit("/src/level2.js");
    await expect.poll(creditedIds, { timeout: 5000 }).toContain("retro-sfx-pack");
    const sfx = (JSON.parse(await get("/@oga/credits.json")) as { id: string }[]).find((c) => c.id === "retro-sfx-pack");
    expect(sfx).toMatchObject({
      author: { name: "Bart K.", url: "https://opengameart.org/users/bart" },
      collaborators: [
        { name: "Eliza Wyatt", url: "https://opengameart.org/users/elizawy" },
        { name: "Kenney", url: "https://opengameart.org/users/kenney" },
      ],
      license: "CC-BY 4.0",
      spdx: "CC-BY-4.0",
      text: expect.stringContaining('"Retro SFX Pack" by Bart K., Eliza Wyatt and Kenney, licensed CC-BY 4.0'),
    });
  });

  it("the served module asks for the list again when it runs in a browser", async () => {
    const code = await get("/@id/__x00__oga:credits.js");
    expect(code).toContain('fetch("/@oga/credits.json"');
  });

  it("sends the browser each new list as an oga:credits event (no reload)", async () => {
    const sent: { type?: string; event?: string; data?: { id: string }[] }[] = [];
    const hot = dev.server.environments.client!.hot;
    const send = hot.send.bind(hot) as (payload: unknown) => void;
    hot.send = ((payload: unknown) => {
      sent.push(payload as (typeof sent)[number]);
      send(payload);
    }) as typeof hot.send;
    await visit("/src/main.js");
    await expect.poll(creditedIds, { timeout: 5000 }).toEqual(["battle-theme-a"]);
    sent.length = 0;

    await writeFile(path.join(project.root, "src/level2.js"), `import tiles from "oga:dungeon-tileset/dungeon_tileset.png";\nexport { tiles };\n`);
    await visit("/src/level2.js");
    const lists = () => sent.filter((p) => p.type === "custom" && p.event === "oga:credits").map((p) => p.data!.map((c) => c.id));
    await expect.poll(lists, { timeout: 5000 }).toContainEqual(["battle-theme-a", "dungeon-tileset"]);
    expect(sent.filter((p) => p.type === "full-reload")).toEqual([]);
  });
});
