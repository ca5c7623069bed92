/** Types of make-icons.mjs (the icon generator), for the packaging test. */
export declare function drawIconPixels(size?: number): Buffer;
export declare function iconSvg(): string;
