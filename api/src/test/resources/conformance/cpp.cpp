#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main() {
    fs::create_directories("d/e");
    for (const char *name : {"d/x.txt", "d/y.txt"}) std::ofstream(name) << "hello\n";
    std::string text;
    std::getline(std::ifstream("d/x.txt") >> std::ws, text);
    std::cout << text << "\n" << fs::file_size("d/x.txt") << "\n";
    std::vector<std::string> names;
    for (const auto &entry : fs::directory_iterator("d")) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    for (size_t i = 0; i < names.size(); i++) std::cout << (i ? " " : "") << names[i];
    std::cout << "\n";
    std::ifstream status("/proc/self/status");
    bool found = false;
    for (std::string line; std::getline(status, line);) found |= line.rfind("Name:", 0) == 0;
    std::cout << (found ? "true" : "false") << "\n";
    std::time_t now = std::time(nullptr);
    std::cout << std::gmtime(&now)->tm_year + 1900 << "\n";
    std::ofstream("/tmp/t") << "tmp ok";
    std::getline(std::ifstream("/tmp/t") >> std::ws, text);
    std::cout << text << "\n";
}
