/** Game state and rules, apart from the DOM: update() moves things, draw() paints a frame. */

export interface Sprites {
  hero: HTMLImageElement;
  gem: HTMLImageElement;
  boss: HTMLImageElement;
  tiles: HTMLImageElement;
  /** 16×16 tiles from the dungeon pack's zip: the back wall and the door the boss comes out of. */
  wall: HTMLImageElement;
  door: HTMLImageElement;
}

/** What happened during one update, so the caller can play the matching sounds. */
export interface Events {
  picked: number;
  caught: boolean;
}

export interface Input {
  /** Keys held down, as `KeyboardEvent.key` lower-cased. */
  keys: ReadonlySet<string>;
  /** Where the player last clicked, in canvas pixels, or null. */
  target: { x: number; y: number } | null;
}

interface Point {
  x: number;
  y: number;
}

const HERO_SPEED = 180; // pixels per second
const BOSS_SPEED = 60; // slower than the hero: it can always be outrun
const CATCH_DISTANCE = 26;
const GEM_COUNT = 5;
const PICKUP_DISTANCE = 24;
const TILE = 16; // the tileset's grid
const FLOOR_SCALE = 2;
const WALL_HEIGHT = TILE * FLOOR_SCALE;
const BOSS_HOME: Point = { x: 48, y: 56 }; // just below the door in the back wall

export class Game {
  readonly width: number;
  readonly height: number;
  readonly hero: Point;
  readonly boss: Point = { ...BOSS_HOME };
  readonly gems: Point[] = [];
  score = 0;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.hero = { x: width / 2, y: height / 2 };
    while (this.gems.length < GEM_COUNT) this.gems.push(this.randomSpot());
  }

  update(seconds: number, input: Input): Events {
    const step = HERO_SPEED * seconds;
    const dx = axis(input.keys, ["arrowright", "d"], ["arrowleft", "a"]);
    const dy = axis(input.keys, ["arrowdown", "s"], ["arrowup", "w"]);
    if (dx !== 0 || dy !== 0) {
      const length = Math.hypot(dx, dy);
      this.moveBy((dx / length) * step, (dy / length) * step);
    } else if (input.target) {
      const tx = input.target.x - this.hero.x;
      const ty = input.target.y - this.hero.y;
      const distance = Math.hypot(tx, ty);
      if (distance > 1) this.moveBy((tx / distance) * Math.min(step, distance), (ty / distance) * Math.min(step, distance));
    }
    let picked = 0;
    this.gems.forEach((gem, i) => {
      if (Math.hypot(gem.x - this.hero.x, gem.y - this.hero.y) < PICKUP_DISTANCE) {
        this.gems[i] = this.randomSpot();
        picked++;
      }
    });
    this.score += picked;
    const caught = this.chase(seconds);
    return { picked, caught };
  }

  /** The boss drifts toward the hero; a catch halves the score and sends the boss back home. */
  private chase(seconds: number): boolean {
    const dx = this.hero.x - this.boss.x;
    const dy = this.hero.y - this.boss.y;
    const distance = Math.hypot(dx, dy);
    if (distance < CATCH_DISTANCE) {
      this.score = Math.floor(this.score / 2);
      Object.assign(this.boss, BOSS_HOME);
      return true;
    }
    const step = Math.min(BOSS_SPEED * seconds, distance);
    this.boss.x += (dx / distance) * step;
    this.boss.y += (dy / distance) * step;
    return false;
  }

  draw(ctx: CanvasRenderingContext2D, sprites: Sprites, time: number): void {
    ctx.imageSmoothingEnabled = false;
    drawFloor(ctx, sprites.tiles, this.width, this.height);
    drawBackWall(ctx, sprites.wall, sprites.door, this.width);
    this.gems.forEach((gem, i) => {
      // A gentle bob, out of phase per gem, so the field feels alive.
      const bob = Math.sin(time * 3 + i) * 3;
      drawCentered(ctx, sprites.gem, gem.x, gem.y + bob);
    });
    drawCentered(ctx, sprites.boss, this.boss.x, this.boss.y);
    // The hero sprite is 16 px: draw it twice as large so it reads at game scale.
    drawCentered(ctx, sprites.hero, this.hero.x, this.hero.y, 2);
  }

  private moveBy(dx: number, dy: number): void {
    this.hero.x = clamp(this.hero.x + dx, 0, this.width);
    // The back wall is solid: the hero walks below it.
    this.hero.y = clamp(this.hero.y + dy, WALL_HEIGHT, this.height);
  }

  private randomSpot(): Point {
    const margin = 32;
    const top = WALL_HEIGHT + margin; // never inside the back wall
    return {
      x: margin + Math.random() * (this.width - 2 * margin),
      y: top + Math.random() * (this.height - top - margin),
    };
  }
}

/** Floor of the tileset's first row of tiles, scaled up, in a fixed pseudo-random pattern. */
function drawFloor(ctx: CanvasRenderingContext2D, tiles: HTMLImageElement, width: number, height: number): void {
  const columns = Math.max(1, Math.floor(tiles.naturalWidth / TILE));
  const size = TILE * FLOOR_SCALE;
  for (let y = 0; y < height; y += size) {
    for (let x = 0; x < width; x += size) {
      // Mostly the first tile, sometimes another: a floor with some texture, stable between frames.
      const pick = (x * 7 + y * 13) % 23 === 0 ? ((x + y) / size) % columns : 0;
      ctx.drawImage(tiles, pick * TILE, 0, TILE, TILE, x, y, size, size);
    }
  }
  // The tileset's colours come from its author, not from us: dim them so the sprites stand out.
  ctx.fillStyle = "rgb(12 14 30 / 0.6)";
  ctx.fillRect(0, 0, width, height);
}

/** A row of wall tiles along the top edge, with the open door above the boss's home. */
function drawBackWall(ctx: CanvasRenderingContext2D, wall: HTMLImageElement, door: HTMLImageElement, width: number): void {
  const size = WALL_HEIGHT;
  const doorX = Math.floor(BOSS_HOME.x / size) * size;
  for (let x = 0; x < width; x += size) ctx.drawImage(x === doorX ? door : wall, x, 0, size, size);
}

function drawCentered(ctx: CanvasRenderingContext2D, image: HTMLImageElement, x: number, y: number, scale = 1): void {
  const w = image.naturalWidth * scale;
  const h = image.naturalHeight * scale;
  ctx.drawImage(image, Math.round(x - w / 2), Math.round(y - h / 2), w, h);
}

function axis(keys: ReadonlySet<string>, positive: string[], negative: string[]): number {
  return (positive.some((k) => keys.has(k)) ? 1 : 0) - (negative.some((k) => keys.has(k)) ? 1 : 0);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
