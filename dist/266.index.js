export const id = 266;
export const ids = [266];
export const modules = {

/***/ 266:
/***/ ((module) => {

module.exports = eval("require")("node-fetch");


/***/ })

};
